package sophon.bridge.server;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository root, where {@code stream-graphs/}, {@code business-logic/target/} and
 * {@code cpu-stream/target/} are: system property {@code sophon.bridge.home}, else two levels up
 * from this code ({@code server/target/classes} or {@code server/target/server.jar}).
 */
public final class AppHome {
    public static final String PROPERTY = "sophon.bridge.home";

    private AppHome() {
    }

    public static Path find() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(AppHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // server/target/classes or server/target/server.jar → server/target → server → root
            Path target = Files.isDirectory(code) ? code.getParent() : code.getParent();
            return target.getParent().getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException | NullPointerException e) {
            return Path.of("").toAbsolutePath();
        }
    }
}
