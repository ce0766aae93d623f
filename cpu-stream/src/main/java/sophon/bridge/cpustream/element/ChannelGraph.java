package sophon.bridge.cpustream.element;

import java.util.ArrayList;
import java.util.List;
import sophon.bridge.cpustream.frame.Frame;

/** A channel's instance of a graph: the element nodes downstream of decode. */
public final class ChannelGraph implements AutoCloseable {
    /** One element and the nodes it feeds. */
    public static final class Node {
        private final Element element;
        private final List<Node> next = new ArrayList<>();

        public Node(Element element) {
            this.element = element;
        }

        public void feeds(Node n) {
            next.add(n);
        }

        void push(Frame frame) {
            element.process(frame, out -> {
                for (int i = 0; i < next.size(); i++) {
                    if (i == next.size() - 1) {
                        next.get(i).push(out);
                    } else {
                        // Side branches get their own result lists and their own hold on the image.
                        Frame copy = out.branch();
                        try {
                            next.get(i).push(copy);
                        } finally {
                            copy.release();
                        }
                    }
                }
            });
        }
    }

    private final List<Node> roots;
    private final List<Element> elements;

    public ChannelGraph(List<Node> roots, List<Element> elements) {
        this.roots = List.copyOf(roots);
        this.elements = List.copyOf(elements);
    }

    /** A graph of decode alone (nothing downstream): frames need not be copied out of the decoder. */
    public boolean isEmpty() {
        return roots.isEmpty();
    }

    public void push(Frame frame) {
        for (int i = 0; i < roots.size(); i++) {
            if (i == roots.size() - 1) {
                roots.get(i).push(frame);
            } else {
                Frame copy = frame.branch();
                try {
                    roots.get(i).push(copy);
                } finally {
                    copy.release();
                }
            }
        }
    }

    /** Closes every element (sinks flush their queues here). */
    @Override
    public void close() {
        for (Element e : elements) {
            try {
                e.close();
            } catch (Exception ignored) {
                // one element failing to close must not keep the others open
            }
        }
    }
}
