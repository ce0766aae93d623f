package sophon.bridge.server.process;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What identifies one of our children among all processes after a restart of the server: a
 * recorded pid alone may have been reused by the kernel, so the pid must also show the marker
 * argument and the working directory we gave the child. A marker (not the full argument list)
 * because a stream {@code main} may be a script that execs another program with the same args.
 * Directories are compared as real paths: {@code /proc} shows a child's working directory with
 * symlinks resolved, while the database holds the path as the server was given it.
 */
public record ChildSignature(String markerArg, Path workDir) {
    public boolean matches(ProcInfo proc) {
        return proc.hasArg(markerArg) && realPath(proc.cwd()).equals(realPath(workDir));
    }

    /** The path with symlinks resolved where it exists; else made absolute and normalized. */
    public static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
