package io.runnerfleet.gitlab.client;

import java.time.Duration;

/**
 * One logical API call as a metrics registry counts it: one per call, after the client's transparent retries,
 * carrying the last HTTP status.
 *
 * @param endpoint the endpoint label ({@link ApiEndpoint#label()})
 * @param method   the HTTP method (POST, PUT, PATCH, GET)
 * @param status   the final HTTP status, or {@link #NO_RESPONSE} when no response arrived (connection error, timeout)
 * @param attempts how many HTTP requests the call took (1 when not retried)
 * @param duration wall time of the whole call, retries and back-off included
 */
public record ApiCall(ApiEndpoint endpoint, String method, int status, int attempts, Duration duration) {
    /** Status reported when no HTTP response arrived. */
    public static final int NO_RESPONSE = -1;

    /** The status as the {@code status} label value. */
    public String statusLabel() {
        return Integer.toString(status);
    }

    public boolean hasResponse() {
        return status != NO_RESPONSE;
    }
}
