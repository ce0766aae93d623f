package sophon.bridge.server.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out the lowest port from {@code base} upward that no task of ours holds and that nobody
 * on the box is listening on. Released ports (deleted tasks) are handed out again.
 */
public final class PortAllocator {
    private final int base;
    private final int limit;
    private final Set<Integer> reserved = new HashSet<>();

    public PortAllocator(int base, int count) {
        this.base = base;
        this.limit = Math.min(65535, base + count - 1);
    }

    public synchronized int allocate() {
        for (int port = base; port <= limit; port++) {
            if (!reserved.contains(port) && isFree(port)) {
                reserved.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + base + " and " + limit);
    }

    /** Takes a specific port again (recovery keeps a task's ports) if it is still free. */
    public synchronized boolean reserve(int port) {
        if (port < base || port > limit || reserved.contains(port) || !isFree(port)) {
            return false;
        }
        reserved.add(port);
        return true;
    }

    /**
     * The port a child of ours binds again once its previous process on {@code port} is gone: the
     * same one while nobody listens on it; else another process took it meanwhile (nothing of ours
     * can hold it then), and the lowest free port is handed out instead and {@code port} released.
     */
    public synchronized int keepOrMove(int port) {
        if (isFree(port)) {
            reserved.add(port);
            return port;
        }
        int moved = allocate(); // before the release, so the taken port cannot come back
        reserved.remove(port);
        return moved;
    }

    public synchronized void release(int port) {
        reserved.remove(port);
    }

    public synchronized boolean isReserved(int port) {
        return reserved.contains(port);
    }

    /** Bound on the wildcard address, so a listener on any interface (or ::) makes it busy. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // TIME_WAIT leftovers of a stopped child do not count
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
