package sophon.bridge.frame;

/** A box as sophon-stream gives it: left, top, width, height in scene pixels. */
public record Box(int x, int y, int width, int height) {

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public double centerX() {
        return x + width / 2.0;
    }

    public double centerY() {
        return y + height / 2.0;
    }

    /** The larger side: what TargetSize's MinDetect/MaxDetect are compared with. */
    public int size() {
        return Math.max(width, height);
    }

    /** This box clipped to a width×height frame, or null when nothing of it lies inside. */
    public Box clampTo(int frameWidth, int frameHeight) {
        int x1 = Math.max(0, x);
        int y1 = Math.max(0, y);
        int x2 = Math.min(frameWidth, right());
        int y2 = Math.min(frameHeight, bottom());
        if (x2 <= x1 || y2 <= y1) {
            return null;
        }
        return new Box(x1, y1, x2 - x1, y2 - y1);
    }
}
