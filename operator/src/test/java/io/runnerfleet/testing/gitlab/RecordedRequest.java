package io.runnerfleet.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request the {@link TestGitLab} received and how it answered.
 *
 * @param endpoint the endpoint label ({@code request_job}, {@code patch_trace}, ...), or {@code unknown}
 * @param headers  request headers, names lower-cased
 * @param status   the status answered (for a TIMEOUT fault: the status the late answer carried)
 */
public record RecordedRequest(
        Instant receivedAt,
        String method,
        String path,
        String query,
        String endpoint,
        Map<String, List<String>> headers,
        byte[] body,
        int status,
        FaultPlan.Fault fault) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status
                + (fault == FaultPlan.Fault.NONE ? "" : " [" + fault + "]");
    }
}
