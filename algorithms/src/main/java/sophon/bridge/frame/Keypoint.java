package sophon.bridge.frame;

public record Keypoint(double x, double y, double score) {}
