package sophon.bridge.cpustream.frame;

/** One detected box in frame pixels (x, y, width, height), as sophon-stream reports it. */
public record Detection(int x, int y, int width, int height, int classId, float score, String label) {
    public Detection offset(int dx, int dy) {
        return new Detection(x + dx, y + dy, width, height, classId, score, label);
    }

    /**
     * The score as the decimal it prints as (0.7f is 0.7, not 0.699999988): what the contract's
     * JSON carries, so a score equal to the task's threshold still passes it in business logic.
     */
    public double decimalScore() {
        return Double.parseDouble(Float.toString(score));
    }

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public double iou(Detection o) {
        int ix = Math.max(0, Math.min(right(), o.right()) - Math.max(x, o.x));
        int iy = Math.max(0, Math.min(bottom(), o.bottom()) - Math.max(y, o.y));
        double inter = (double) ix * iy;
        double union = (double) width * height + (double) o.width * o.height - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
