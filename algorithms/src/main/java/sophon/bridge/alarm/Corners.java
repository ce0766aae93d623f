package sophon.bridge.alarm;

/** An application-web box: corners in scene pixels. */
public record Corners(int leftTopX, int leftTopY, int rightBtmX, int rightBtmY) {}
