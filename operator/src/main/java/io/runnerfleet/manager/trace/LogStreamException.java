package io.runnerfleet.manager.trace;

/** A log stream could not be opened: the HTTP status (0 for a transport error) and the server's message. */
public final class LogStreamException extends Exception {
    private final int status;

    public LogStreamException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
