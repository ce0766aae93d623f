package sophon.bridge.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import sophon.bridge.server.ui.OperatorAccess.Verdict;

/** The access rule as a pure function: which client is local, which header carries the token. */
class OperatorAccessTest {
    private static final byte[] TOKEN = OperatorAccess.sha256("s3cret-token");

    @Test
    void loopbackAddressesAreLocalAndNothingElseIs() {
        for (String local :
                new String[] {"127.0.0.1", "127.5.6.7", "::1", "0:0:0:0:0:0:0:1", "[::1]", "::ffff:127.0.0.1"}) {
            assertTrue(OperatorAccess.isLoopback(local), local);
        }
        for (String other : new String[] {
            "192.0.2.2", "10.0.0.1", "0.0.0.0", "::", "fd00::2", "::ffff:10.0.0.1", "localhost", "", "not-an-ip", null
        }) {
            assertFalse(OperatorAccess.isLoopback(other), String.valueOf(other));
        }
    }

    @Test
    void listeningOnLoopbackOnly() {
        assertTrue(OperatorAccess.listensOnLoopbackOnly("127.0.0.1"));
        assertTrue(OperatorAccess.listensOnLoopbackOnly("localhost"));
        assertTrue(OperatorAccess.listensOnLoopbackOnly("::1"));
        assertFalse(OperatorAccess.listensOnLoopbackOnly("0.0.0.0"));
        assertFalse(OperatorAccess.listensOnLoopbackOnly("192.0.2.2"));
    }

    @Test
    void theTokenComesAsBasicPasswordOrBearer() {
        assertEquals("tok", OperatorAccess.presentedToken(basic("anyone", "tok")));
        assertEquals("tok:with:colons", OperatorAccess.presentedToken(basic("", "tok:with:colons")));
        assertEquals("tok", OperatorAccess.presentedToken("Bearer tok"));
        assertEquals("tok", OperatorAccess.presentedToken("bearer  tok "));
        assertNull(OperatorAccess.presentedToken(null));
        assertNull(OperatorAccess.presentedToken("Basic !!!not-base64"));
        assertNull(OperatorAccess.presentedToken("Basic " + b64("no-colon")));
        assertNull(OperatorAccess.presentedToken("Digest x"));
    }

    @Test
    void loopbackAlwaysOthersOnlyWithTheToken() {
        assertEquals(Verdict.ALLOW, OperatorAccess.decide("127.0.0.1", null, null));
        assertEquals(Verdict.ALLOW, OperatorAccess.decide("::1", null, TOKEN));
        assertEquals(Verdict.LOOPBACK_ONLY, OperatorAccess.decide("192.0.2.2", basic("u", "s3cret-token"), null));
        assertEquals(Verdict.CREDENTIALS_NEEDED, OperatorAccess.decide("192.0.2.2", null, TOKEN));
        assertEquals(Verdict.CREDENTIALS_NEEDED, OperatorAccess.decide("192.0.2.2", basic("u", "s3cret-tokeN"), TOKEN));
        assertEquals(Verdict.CREDENTIALS_NEEDED, OperatorAccess.decide("192.0.2.2", basic("s3cret-token", ""), TOKEN));
        assertEquals(Verdict.ALLOW, OperatorAccess.decide("192.0.2.2", basic("u", "s3cret-token"), TOKEN));
        assertEquals(Verdict.ALLOW, OperatorAccess.decide("10.1.2.3", "Bearer s3cret-token", TOKEN));
    }

    private static String basic(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
