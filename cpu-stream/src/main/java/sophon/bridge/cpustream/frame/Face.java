package sophon.bridge.cpustream.frame;

import java.util.List;

/** One face as retinaface reports it in mFaceObjectMetadata; landmarks are empty for cascade detectors. */
public record Face(int top, int bottom, int left, int right, List<Float> pointsX, List<Float> pointsY, float score) {}
