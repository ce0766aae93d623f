package sophon.bridge.frame;

/** One entry of {@code mTrackedObjectMetadatas}: {@code mTrackId}, or -1 when the entry has none. */
public record TrackedObjectMetadata(long trackId) {}
