package sophon.bridge.cpustream.detect;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import sophon.bridge.cpustream.frame.Detection;

/**
 * A Haar/LBP cascade shipped inside the OpenCV artefact (faces, licence plates). The score is
 * n / (n + 3) for n neighbouring raw hits, so the usual minNeighbors of 3 sits at 0.5.
 */
public final class CascadeDetector implements Detector {
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();
    private final CascadeClassifier cascade;
    private final int classId;
    private final String label;
    private final int minSize;

    public CascadeDetector(String cascadeFile, int classId, String label, int minSize) {
        Path file = extract(cascadeFile);
        this.cascade = new CascadeClassifier(file.toString());
        if (cascade.empty()) {
            throw new IllegalStateException("OpenCV could not load cascade " + cascadeFile);
        }
        this.classId = classId;
        this.label = label;
        this.minSize = minSize;
    }

    public static CascadeDetector faces() {
        return new CascadeDetector("haarcascades/haarcascade_frontalface_alt2.xml", 0, "face", 24);
    }

    public static CascadeDetector plates() {
        return new CascadeDetector("haarcascades/haarcascade_russian_plate_number.xml", 0, "license_plate", 20);
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        List<Detection> out = new ArrayList<>();
        Mat gray = new Mat();
        try (RectVector rects = new RectVector();
                IntPointer hits = new IntPointer()) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
            equalizeHist(gray, gray);
            cascade.detectMultiScale2(gray, rects, hits, 1.1, 3, 0, new Size(minSize, minSize), new Size());
            for (int i = 0; i < rects.size(); i++) {
                Rect r = rects.get(i);
                int n = i < hits.limit() ? hits.get(i) : 3;
                out.add(new Detection(r.x(), r.y(), r.width(), r.height(), classId, n / (n + 3f), label));
            }
        } finally {
            gray.release();
        }
        return out;
    }

    @Override
    public void close() {
        cascade.close();
    }

    /** CascadeClassifier reads only files, so the XML is copied out of the jar once per process. */
    private static Path extract(String name) {
        return EXTRACTED.computeIfAbsent(name, n -> {
            String resource = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/" + n;
            try (InputStream in = Loader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("cascade " + resource + " is not on the classpath");
                }
                Path tmp = Files.createTempFile("cpu-stream-", "-" + Path.of(n).getFileName());
                tmp.toFile().deleteOnExit();
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return tmp;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
