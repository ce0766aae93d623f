package sophon.bridge.cpustream.element;

import java.util.function.Consumer;
import sophon.bridge.cpustream.frame.Frame;

/** The pre and post stages of a split detector (stage "pre"/"post"): the work happens at "infer". */
public final class PassThroughElement implements Element {
    @Override
    public void process(Frame frame, Consumer<Frame> out) {
        out.accept(frame);
    }
}
