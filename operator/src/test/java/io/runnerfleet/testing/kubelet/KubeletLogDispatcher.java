package io.runnerfleet.testing.kubelet;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.runnerfleet.manager.trace.KubeletTimestamps;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dispatcher decorator for fabric8's mock server (Vert.x {@code io.fabric8.mockwebserver.http.Dispatcher}, what
 * {@code KubernetesMockServer} 7.5.2 uses) that serves {@code GET /api/v1/namespaces/{ns}/pods/{pod}/log} from a
 * {@link ContainerLogs} store, as a kubelet behind an API server would, and hands every other request to its delegate
 * (the CRUD dispatcher, or any other). Wrap it around whatever dispatcher a fixture already has.
 *
 * <p>Query parameters: {@code container} (required), {@code follow}, {@code timestamps}, {@code sinceTime} (cut to
 * whole seconds, as the real API server does), {@code tailLines}.
 *
 * <p>The mock server runs every dispatch on one Vert.x event loop and sends a response body whole, so a response
 * cannot stay open for lines that come later. A {@code follow=true} request is therefore served with the lines there
 * are when it arrives and then ends, also while the container still runs: to a client that is a follow stream that
 * ended early (which real API servers do, too), so it has to check the container and resume. Add
 * {@link ContainerLogs#endStreamsEvery(int)} to cut streams shorter still.
 *
 * <p>Answers like the API server: 404 when the pod does not exist, 400 "waiting to start" before the container ran.
 */
public final class KubeletLogDispatcher extends Dispatcher implements Resetable, CustomResourceAware {
    private static final Pattern LOG_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");

    private final Dispatcher delegate;
    private final ContainerLogs logs;
    private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Refusal refusal;

    /** Requests of {@code method} to exactly {@code path} are answered {@code status} (an API server refusing). */
    public record Refusal(String method, String path, int status, String reason) {}

    /**
     * One request as the API server saw it, for tests that check who called what; {@code deleteBody} is the body of
     * a DELETE (its DeleteOptions: the grace period), empty for other methods, whose bodies are not kept.
     */
    public record ApiRequest(String method, String path, String userAgent, String deleteBody) {}

    public KubeletLogDispatcher(Dispatcher delegate, ContainerLogs logs) {
        this.delegate = delegate;
        this.logs = logs;
    }

    public ContainerLogs logs() {
        return logs;
    }

    /** Every request this server answered, in order. */
    public List<ApiRequest> requests() {
        return List.copyOf(requests);
    }

    /** From now on answers what {@code value} names so (null: nothing refused). */
    public void refuse(Refusal value) {
        this.refusal = value;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(new ApiRequest(
                request.getMethod(), request.getPath(), request.getHeader("User-Agent"), deleteBody(request)));
        String path = request.getPath();
        int q = path.indexOf('?');
        String rawPath = q < 0 ? path : path.substring(0, q);
        Refusal refused = refusal;
        if (refused != null
                && refused.method().equalsIgnoreCase(request.getMethod())
                && refused.path().equals(rawPath)) {
            return status(refused.status(), refused.reason(), "refused by the test: " + refused.reason());
        }
        Matcher m = LOG_PATH.matcher(rawPath);
        if (!"GET".equalsIgnoreCase(request.getMethod()) || !m.matches()) {
            return delegate.dispatch(request);
        }
        String namespace = decode(m.group(1));
        String pod = decode(m.group(2));
        Map<String, String> query = query(q < 0 ? "" : path.substring(q + 1));
        String container = query.get("container");
        if (!podExists(request, namespace, pod)) {
            return status(404, "NotFound", "pods \"" + pod + "\" not found");
        }
        if (container == null || container.isEmpty()) {
            return status(400, "BadRequest", "a container name must be specified for pod " + pod);
        }
        if (!logs.known(namespace, pod, container)) {
            return status(
                    400,
                    "BadRequest",
                    "container \"" + container + "\" in pod \"" + pod + "\" is waiting to start: PodInitializing");
        }
        Instant since = null;
        if (query.containsKey("sinceTime")) {
            since = KubeletTimestamps.parse(query.get("sinceTime"));
            if (since == null) {
                return status(400, "BadRequest", "invalid sinceTime " + query.get("sinceTime"));
            }
            since = since.truncatedTo(ChronoUnit.SECONDS);
        }
        Integer tail = query.containsKey("tailLines") ? Integer.valueOf(query.get("tailLines")) : null;
        ContainerLogs.Served served = logs.serve(
                path,
                namespace,
                pod,
                container,
                "true".equals(query.get("follow")),
                "true".equals(query.get("timestamps")),
                since,
                tail);
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "text/plain")
                .setBody(served.body());
    }

    private boolean podExists(RecordedRequest original, String namespace, String pod) {
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + pod;
        MockResponse r = delegate.dispatch(new RecordedRequest(
                original.getHttpVersion(), HttpMethod.GET, podPath, original.getHeaders(), new Buffer()));
        return r.code() == 200;
    }

    private static MockResponse status(int code, String reason, String message) {
        String json = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"" + message.replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\",\"code\":"
                + code + "}";
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(json);
    }

    private static Map<String, String> query(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void reset() {
        if (delegate instanceof Resetable r) {
            r.reset();
        }
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext rdc) {
        if (delegate instanceof CustomResourceAware c) {
            c.expectCustomResource(rdc);
        }
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    private static String deleteBody(RecordedRequest request) {
        if (!"DELETE".equalsIgnoreCase(request.getMethod()) || request.getBody() == null) {
            return "";
        }
        // getBytes leaves the body for the CRUD dispatcher, which reads it too.
        return new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
