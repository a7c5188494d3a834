package io.runnerfleet.gitlab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.UUID;

/**
 * The HTTP side of the runner API, as gitlab-runner's {@code network/client.go}: one {@link HttpClient}, requests
 * against {@link GitLabClientConfig#apiBase()} carrying {@code User-Agent: gitlab-runner <ver> (...)} and an
 * {@code X-Request-Id} each, JSON bodies, and a single send without retries.
 */
final class GitLabTransport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitLabClientConfig config;
    private final HttpClient http;

    GitLabTransport(GitLabClientConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (config.sslContext() != null) {
            builder.sslContext(config.sslContext());
        }
        this.http = builder.connectTimeout(config.connectTimeout())
                // Go's client speaks HTTP/1.1 on plain http and negotiates h2 over TLS; so do we.
                .version(
                        "https".equals(config.apiBase().getScheme())
                                ? HttpClient.Version.HTTP_2
                                : HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A request for {@code path} (relative to {@code /api/v4/}) with the headers every call carries. */
    HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(config.apiBase().resolve(path))
                .timeout(timeout)
                .header("User-Agent", config.runnerInfo().userAgent())
                .header("X-Request-Id", UUID.randomUUID().toString().replace("-", ""));
    }

    /** A request whose body is {@code body} as JSON; {@code expectJson} asks for a JSON answer. */
    HttpRequest.Builder jsonRequest(String path, String method, Object body, Duration timeout, boolean expectJson) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize request body", e);
        }
        HttpRequest.Builder builder = request(path, timeout)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", Exchange.APPLICATION_JSON);
        if (expectJson) {
            builder.header("Accept", Exchange.APPLICATION_JSON);
        }
        return builder;
    }

    /** Sends once; {@code attempt} is recorded in the outcome. A connection error or timeout is no response. */
    Exchange send(HttpRequest request, int attempt) throws InterruptedException {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Exchange(response.statusCode(), response.headers(), response.body(), null, attempt);
        } catch (IOException e) {
            return Exchange.noResponse(describe(e), attempt);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timeout: " + e.getMessage();
        }
        String message = e.getMessage();
        String described = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        if (e instanceof javax.net.ssl.SSLHandshakeException) {
            // gitlab-runner's advice for the same failure: trust GitLab's CA through tls-ca-file.
            return described + " (GitLab's TLS certificate is not trusted: give its CA as tls-ca-file, "
                    + "spec.gitlab.tlsCa in a RunnerFleet)";
        }
        return described;
    }
}
