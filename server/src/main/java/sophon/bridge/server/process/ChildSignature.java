package sophon.bridge.server.process;

import java.nio.file.Path;

/**
 * What identifies one of our children among all processes after a restart of the server: a
 * recorded pid alone may have been reused by the kernel, so the pid must also show the marker
 * argument and the working directory we gave the child. A marker (not the full argument list)
 * because a stream {@code main} may be a script that execs another program with the same args.
 */
public record ChildSignature(String markerArg, Path workDir) {
    public boolean matches(ProcInfo proc) {
        return proc.hasArg(markerArg) && proc.cwd().normalize().equals(workDir.toAbsolutePath().normalize());
    }
}
