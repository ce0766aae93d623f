package sophon.bridge.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
    /** A base in the ephemeral-free range below the server's own ports, unlikely to be used on a CI box. */
    private static final int BASE = 23_451;

    @Test
    void handsOutLowestFreePortsAndReusesReleasedOnes() {
        PortAllocator ports = new PortAllocator(BASE, 50);
        int a = ports.allocate();
        int b = ports.allocate();
        assertNotEquals(a, b);
        assertTrue(a >= BASE && b > a);
        ports.release(a);
        assertEquals(a, ports.allocate(), "a deleted task's port is handed out again");
    }

    @Test
    void skipsPortsSomebodyElseListensOn() throws Exception {
        PortAllocator ports = new PortAllocator(BASE + 100, 50);
        int first = ports.allocate();
        ports.release(first);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), first));
            int next = ports.allocate();
            assertNotEquals(first, next, "a port in use on loopback is skipped");
            assertFalse(ports.reserve(first), "recovery cannot take a busy port");
        }
    }

    @Test
    void keepOrMoveKeepsAFreePortAndMovesOffATakenOne() throws Exception {
        PortAllocator ports = new PortAllocator(BASE + 300, 50);
        int mine = ports.allocate();
        assertEquals(mine, ports.keepOrMove(mine), "nobody listens: the child binds it again");
        assertTrue(ports.isReserved(mine));
        try (ServerSocket foreign = new ServerSocket()) {
            foreign.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), mine));
            int moved = ports.keepOrMove(mine);
            assertNotEquals(mine, moved);
            assertTrue(ports.isReserved(moved));
            assertFalse(ports.isReserved(mine), "the taken port is released");
        }
    }

    @Test
    void reserveTakesAFreeSpecificPortOnce() {
        PortAllocator ports = new PortAllocator(BASE + 200, 50);
        assertTrue(ports.reserve(BASE + 210));
        assertFalse(ports.reserve(BASE + 210));
        assertTrue(ports.isReserved(BASE + 210));
        assertFalse(ports.reserve(BASE + 500), "outside the range");
    }
}
