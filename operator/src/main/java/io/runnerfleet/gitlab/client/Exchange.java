package io.runnerfleet.gitlab.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Locale;

/** One HTTP outcome: a response, or no response ({@code status} = {@link ApiCall#NO_RESPONSE}). */
final class Exchange {
    static final String APPLICATION_JSON = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    final int status;
    final HttpHeaders headers;
    final byte[] body;
    final String error;
    final int attempts;

    Exchange(int status, HttpHeaders headers, byte[] body, String error, int attempts) {
        this.status = status;
        this.headers = headers;
        this.body = body == null ? new byte[0] : body;
        this.error = error;
        this.attempts = attempts;
    }

    /** No response arrived; {@code error} says why. */
    static Exchange noResponse(String error, int attempts) {
        return new Exchange(ApiCall.NO_RESPONSE, null, new byte[0], error, attempts);
    }

    String header(String name) {
        return headers == null ? null : headers.firstValue(name).orElse(null);
    }

    boolean isJson() {
        String type = header("Content-Type");
        if (type == null) {
            return false;
        }
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi))
                .strip()
                .toLowerCase(Locale.ROOT)
                .equals(APPLICATION_JSON);
    }

    /** What went wrong, tokens redacted: the transport error, GitLab's JSON {@code message}, or the status. */
    String message(String... tokens) {
        if (error != null) {
            return JobTokenRedaction.redact(error, tokens);
        }
        if (status >= 200 && status < 300) {
            return Integer.toString(status);
        }
        if (isJson() && body.length > 0) {
            try {
                JsonNode node = JSON.readTree(body);
                JsonNode message = node.get("message");
                if (message != null) {
                    String text = message.isTextual() ? message.asText() : message.toString();
                    return JobTokenRedaction.redact(status + " " + text, tokens);
                }
            } catch (IOException e) {
                // fall through to the bare status
            }
        }
        return Integer.toString(status);
    }
}
