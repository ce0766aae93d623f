package sophon.bridge.frame;

/** Placeholder: one frame's ObjectMetadata as posted by http_push. */
public final class FrameResult {
}
