package sophon.bridge.server;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code stream-graphs/}, {@code business-logic/} and {@code cpu-stream/} are: the
 * repository root of a source checkout, or the root of an unpacked release bundle
 * ({@code scripts/package.sh}), which has the same module folders without {@code target/}.
 * System property {@code sophon.bridge.home} (the bundle's {@code bin/sophon-bridge} sets it),
 * else found from this code: {@code server/target/classes}, {@code server/target/server.jar} or
 * the bundle's {@code server/server.jar}.
 */
public final class AppHome {
    public static final String PROPERTY = "sophon.bridge.home";

    private AppHome() {}

    public static Path find() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(AppHome.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            // server/target/classes or server/target/server.jar → server/target → server → root;
            // a bundle's server/server.jar → server → root
            Path dir = code.getParent();
            Path server = dir.getFileName().toString().equals("target") ? dir.getParent() : dir;
            return server.getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException | NullPointerException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /**
     * A module's runnable jar ({@code business-logic}, {@code cpu-stream}): {@code <module>/<module>.jar}
     * in a release bundle, else the build output {@code <module>/target/<module>.jar}.
     */
    public static Path moduleJar(Path home, String module) {
        Path bundled = home.resolve(module).resolve(module + ".jar");
        return Files.isRegularFile(bundled)
                ? bundled
                : home.resolve(module).resolve("target").resolve(module + ".jar");
    }
}
