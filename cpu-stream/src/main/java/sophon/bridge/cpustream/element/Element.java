package sophon.bridge.cpustream.element;

import java.util.function.Consumer;
import sophon.bridge.cpustream.frame.Frame;

/** One graph element running on a channel's thread. */
public interface Element extends AutoCloseable {
    /** Handles one frame and passes it on through {@code out} zero or one time. */
    void process(Frame frame, Consumer<Frame> out);

    @Override
    default void close() {}
}
