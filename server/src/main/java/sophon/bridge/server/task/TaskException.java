package sophon.bridge.server.task;

import sophon.bridge.task.Credentials;

/** A refused task request: its message is the one-sentence {@code Msg}, credentials masked. */
public final class TaskException extends Exception {
    private final Failure failure;

    public TaskException(Failure failure, String message) {
        super(Credentials.mask(message));
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
