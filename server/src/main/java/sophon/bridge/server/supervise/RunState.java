package sophon.bridge.server.supervise;

/** Where a task (or one of its algorithm entries) is; the API shows the lower-case name. */
public enum RunState {
    STARTING,
    RUNNING,
    RESTARTING,
    RETRYING,
    FINISHED,
    ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Active states count as {@code Status 1} for application-web and are restarted after a server
     * restart. {@code retrying} is active: a live camera that is away is still a task that runs.
     */
    public boolean active() {
        return this == STARTING || this == RUNNING || this == RESTARTING || this == RETRYING;
    }

    public static RunState fromLabel(String label) {
        for (RunState s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        return ERROR;
    }
}
