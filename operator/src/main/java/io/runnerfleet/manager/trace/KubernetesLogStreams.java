package io.runnerfleet.manager.trace;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a Job Pod container's log through the fabric8 client's own HTTP client (same authentication, TLS and proxy as
 * every other call):
 * {@code GET /api/v1/namespaces/{ns}/pods/{pod}/log?container=C&follow=true&timestamps=true[&sinceTime=T]}.
 *
 * <p>It does not use the {@code pods().withName(..).inContainer(..).watchLog()} DSL: that one first waits for the pod
 * to become Ready through a watch (no use for an init container, and one more request per reconnect), and it cannot
 * carry {@code sinceTime} together with a ready-wait timeout. The request here is the same one the DSL sends.
 */
public final class KubernetesLogStreams implements LogStreamOpener {
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ERROR_BODY = 4096;

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;

    public KubernetesLogStreams(KubernetesClient client, String namespace, String pod) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
    }

    /** The path and query this opener requests (tests and logs). */
    public String path(String container, Instant sinceTime) {
        StringBuilder path = new StringBuilder("api/v1/namespaces/")
                .append(encode(namespace))
                .append("/pods/")
                .append(encode(pod))
                .append("/log?container=")
                .append(encode(container))
                .append("&follow=true&timestamps=true");
        if (sinceTime != null) {
            path.append("&sinceTime=").append(encode(KubeletTimestamps.sinceTime(sinceTime)));
        }
        return path.toString();
    }

    @Override
    public InputStream open(String container, Instant sinceTime) throws LogStreamException {
        String base = client.getMasterUrl().toString();
        URI uri = URI.create((base.endsWith("/") ? base : base + "/") + path(container, sinceTime));
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(uri).build();
        HttpResponse<InputStream> response;
        try {
            response =
                    http.sendAsync(request, InputStream.class).get(HEADERS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogStreamException(0, "interrupted opening the log of " + container, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LogStreamException(0, "cannot open the log of " + container + ": " + e.getMessage(), e);
        }
        if (!response.isSuccessful()) {
            String message = errorBody(response.body());
            throw new LogStreamException(
                    response.code(),
                    "log of " + container + ": HTTP " + response.code() + (message.isEmpty() ? "" : ": " + message),
                    null);
        }
        return response.body();
    }

    private static String errorBody(InputStream body) {
        if (body == null) {
            return "";
        }
        try (body) {
            return new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
