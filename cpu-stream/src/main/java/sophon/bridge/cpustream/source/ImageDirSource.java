package sophon.bridge.cpustream.source;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** IMG_DIR: the images of a folder in name order; unreadable files are skipped with a warning. */
public final class ImageDirSource implements FrameSource {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDirSource.class);
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp");
    private final Path dir;
    private Iterator<Path> files;
    private Mat current;

    public ImageDirSource(Path dir) {
        this.dir = dir;
    }

    @Override
    public void open() throws SourceException {
        if (!Files.isDirectory(dir)) {
            throw new SourceException("image folder " + dir + " does not exist");
        }
        List<Path> list;
        try (Stream<Path> s = Files.list(dir)) {
            list = s.filter(p -> EXTENSIONS.stream()
                            .anyMatch(e -> p.getFileName()
                                    .toString()
                                    .toLowerCase(Locale.ROOT)
                                    .endsWith(e)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SourceException("cannot list image folder " + dir + ": " + e.getMessage(), e);
        }
        if (list.isEmpty()) {
            throw new SourceException("image folder " + dir + " holds no .jpg/.png/.bmp image");
        }
        files = list.iterator();
    }

    @Override
    public Mat next() {
        release();
        while (files.hasNext()) {
            Path p = files.next();
            Mat m = imread(p.toString(), IMREAD_COLOR);
            if (m != null && !m.empty()) {
                current = m;
                return m;
            }
            LOG.warn("IMG_DIR {}: {} is not a readable image, skipped", dir, p.getFileName());
        }
        return null;
    }

    @Override
    public boolean skip() {
        release();
        if (!files.hasNext()) {
            return false;
        }
        files.next();
        return true;
    }

    @Override
    public double nativeFps() {
        return 25;
    }

    @Override
    public void close() {
        release();
    }

    private void release() {
        if (current != null) {
            current.release();
        }
        current = null;
    }
}
