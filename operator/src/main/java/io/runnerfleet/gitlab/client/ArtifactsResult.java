package io.runnerfleet.gitlab.client;

/**
 * What an artifacts upload or download said.
 *
 * @param body     the downloaded bytes (download, 200), otherwise empty
 * @param location the {@code Location} of a 307 upload redirect, otherwise null
 */
public record ArtifactsResult(Outcome outcome, int status, byte[] body, String location, String message) {

    public enum Outcome { OK, REDIRECTED, FORBIDDEN, UNAUTHORIZED, NOT_FOUND, TOO_LARGE, SERVICE_UNAVAILABLE, FAILED }

    @Override
    public String toString() {
        return "ArtifactsResult[outcome=" + outcome + ", status=" + status + ", bytes=" + body.length + ", location="
                + JobTokenRedaction.redact(location) + ", message=" + message + "]";
    }
}
