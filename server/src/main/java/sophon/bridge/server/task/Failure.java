package sophon.bridge.server.task;

/** Why a task request failed; {@code code} is the API's non-zero {@code Code}. */
public enum Failure {
    BAD_REQUEST(1001),
    NOT_FOUND(1002),
    CONFLICT(1003),
    CONFIG(1004),
    UNAVAILABLE(1005),
    /** The box runs as many algorithm entries as {@code --max-tasks} allows; a later create may fit. */
    CAPACITY(1006),
    /** An operator endpoint (status page, snapshot, alarm images, /metrics) refused a client: no or a wrong --ui-token. */
    ACCESS(1007),
    INTERNAL(1500);

    public final int code;

    Failure(int code) {
        this.code = code;
    }
}
