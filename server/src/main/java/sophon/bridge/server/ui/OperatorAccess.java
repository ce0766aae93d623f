package sophon.bridge.server.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.server.api.ApiAnswer;
import sophon.bridge.server.task.Failure;

/**
 * Who may see camera pictures: the status page, {@code /ui/*}, the snapshot and alarm endpoints and
 * {@code /metrics} (routes registered with {@link Role#OPERATOR}). A loopback client always may (the
 * box itself, an SSH tunnel). Any other client needs the {@code --ui-token}, sent as HTTP Basic
 * (any user name, the token as password: a browser asks once and sends it for every {@code <img>}
 * too; Prometheus has {@code basic_auth}) or as {@code Authorization: Bearer <token>}. Without a
 * token set, other clients get 403 and a JSON answer naming the option. application-web's own
 * {@code /task/create|list|query|delete} carry no role and stay open: it cannot send credentials.
 */
public final class OperatorAccess {
    private static final Logger log = LoggerFactory.getLogger(OperatorAccess.class);
    static final String REALM = "Basic realm=\"sophon-bridge\", charset=\"UTF-8\"";
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    /** The role of every route that shows camera pictures or the tasks' figures. */
    public enum Role implements RouteRole {
        OPERATOR
    }

    /** What {@link #decide} says about one request. */
    public enum Verdict {
        ALLOW,
        /** No token on the server: only loopback clients (403). */
        LOOPBACK_ONLY,
        /** A token is set and the request has none or another (401, the browser asks). */
        CREDENTIALS_NEEDED
    }

    private final byte[] tokenDigest;
    private final ObjectMapper json;

    /** @param token the operator's secret, or null for loopback clients only */
    public OperatorAccess(String token, ObjectMapper json) {
        this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
        this.json = json;
    }

    /** Checks every matched route with the operator role before its handler runs; warns once when exposed without a token. */
    public void register(Javalin app, String host) {
        app.beforeMatched(this::check);
        if (tokenDigest == null && !listensOnLoopbackOnly(host)) {
            log.warn(
                    "the API listens on {} beyond loopback and no --ui-token is set: the status page, snapshots, "
                            + "alarm images and /metrics answer 403 to every client but this box",
                    host);
        }
    }

    private void check(Context ctx) throws IOException {
        if (!ctx.routeRoles().contains(Role.OPERATOR)) {
            return;
        }
        Verdict verdict = decide(ctx.req().getRemoteAddr(), ctx.header("Authorization"), tokenDigest);
        if (verdict == Verdict.ALLOW) {
            return;
        }
        String msg;
        if (verdict == Verdict.LOOPBACK_ONLY) {
            ctx.status(403);
            msg = "This server answers the status page, snapshots, alarm images and /metrics only on the box "
                    + "itself; set --ui-token (or SOPHON_BRIDGE_UI_TOKEN) to let other clients in with it.";
        } else {
            ctx.status(401).header("WWW-Authenticate", REALM);
            msg = "Send the --ui-token as the password of HTTP Basic (any user name) or as Authorization: Bearer.";
        }
        ctx.contentType("application/json;charset=UTF-8")
                .header("Cache-Control", "no-store")
                .result(json.writeValueAsBytes(ApiAnswer.failure(Failure.ACCESS.code, msg)));
        ctx.skipRemainingHandlers();
    }

    /** The rule, without a server: loopback always; else the token, compared in constant time. */
    public static Verdict decide(String remoteAddress, String authorization, byte[] tokenDigest) {
        if (isLoopback(remoteAddress)) {
            return Verdict.ALLOW;
        }
        if (tokenDigest == null) {
            return Verdict.LOOPBACK_ONLY;
        }
        String given = presentedToken(authorization);
        // Digests of equal length: the comparison time says nothing about the token's length or prefix.
        return given != null && MessageDigest.isEqual(sha256(given), tokenDigest)
                ? Verdict.ALLOW
                : Verdict.CREDENTIALS_NEEDED;
    }

    /** The token of a Basic (its password) or Bearer header; null when there is none. */
    static String presentedToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.strip();
        if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return a.substring(7).strip();
        }
        if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair =
                        new String(Base64.getDecoder().decode(a.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Whether a client address (an IP literal, as Jetty gives it) is this box's loopback: 127/8,
     * {@code ::1} and the IPv4-mapped {@code ::ffff:127.x}. Anything that is not an IP literal is
     * not loopback, and is never looked up in DNS.
     */
    public static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        boolean literal = IPV4.matcher(a).matches() || (a.contains(":") && a.matches("[0-9a-fA-F:.]+"));
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(a).isLoopbackAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code --host} keeps the API on loopback (then every client is local anyway). */
    public static boolean listensOnLoopbackOnly(String host) {
        return host.equalsIgnoreCase("localhost") || isLoopback(host);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
