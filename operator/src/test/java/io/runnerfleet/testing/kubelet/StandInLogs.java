package io.runnerfleet.testing.kubelet;

import io.runnerfleet.manager.trace.KubeletTimestamps;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kubelet stand-in's {@code GET /containerLogs/{ns}/{pod}/{container}}: what the API server asks a node for on a
 * {@code pods/log} request. Query as the kubelet takes it: {@code follow}, {@code timestamps}, {@code sinceTime} (cut
 * to whole seconds, as the kubelet's RFC 3339 parse does), {@code tailLines}, {@code limitBytes}.
 *
 * <p>Unlike the mock's {@link KubeletLogDispatcher}, a {@code follow=true} response stays open while the container
 * runs and sends each line as it comes (looked for every {@link #POLL_MILLIS} ms), and ends when the container has
 * terminated, as the kubelet's does. A container that has not started yet is answered 400 "is waiting to start", the
 * kubelet's words ({@code pkg/kubelet/kubelet_pods.go}, {@code validateContainerLogStatus}).
 */
final class StandInLogs {
    private static final long POLL_MILLIS = 50;

    private final Vertx vertx;
    private final ContainerLogs logs;
    private final AtomicInteger requests = new AtomicInteger();

    StandInLogs(Vertx vertx, ContainerLogs logs) {
        this.vertx = vertx;
        this.logs = logs;
    }

    int requests() {
        return requests.get();
    }

    void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        HttpServerResponse response = request.response();
        String[] parts = request.path().split("/");
        if (parts.length != 5) {
            response.setStatusCode(400).end("expected /containerLogs/{namespace}/{pod}/{container}\n");
            return;
        }
        String namespace = decode(parts[2]);
        String pod = decode(parts[3]);
        String container = decode(parts[4]);
        if (!logs.known(namespace, pod, container)) {
            response.setStatusCode(400)
                    .end("container \"" + container + "\" in pod \"" + pod + "\" is waiting to start: PodInitializing");
            return;
        }
        Instant since = null;
        String sinceTime = request.getParam("sinceTime");
        if (sinceTime != null) {
            since = KubeletTimestamps.parse(sinceTime);
            if (since == null) {
                response.setStatusCode(400).end("invalid sinceTime " + sinceTime);
                return;
            }
            since = since.truncatedTo(ChronoUnit.SECONDS);
        }
        String tail = request.getParam("tailLines");
        String limit = request.getParam("limitBytes");
        Stream stream = new Stream(
                response,
                namespace,
                pod,
                container,
                "true".equals(request.getParam("timestamps")),
                since,
                tail == null ? null : Integer.valueOf(tail),
                limit == null ? Long.MAX_VALUE : Long.parseLong(limit));
        response.setChunked(true).putHeader("Content-Type", "text/plain");
        boolean follow = "true".equals(request.getParam("follow"));
        if (!stream.send() && follow) {
            long timer = vertx.setPeriodic(POLL_MILLIS, id -> {
                if (stream.send()) {
                    vertx.cancelTimer(id);
                }
            });
            response.closeHandler(v -> vertx.cancelTimer(timer));
        } else if (!response.ended()) {
            response.end();
        }
    }

    /** One response: sends what is new, and ends the response once nothing more will come. */
    private final class Stream {
        private final HttpServerResponse response;
        private final String namespace;
        private final String pod;
        private final String container;
        private final boolean timestamps;
        private final Instant since;
        private final Integer tail;
        private long bytesLeft;
        private int next = -1;

        Stream(
                HttpServerResponse response,
                String namespace,
                String pod,
                String container,
                boolean timestamps,
                Instant since,
                Integer tail,
                long limitBytes) {
            this.response = response;
            this.namespace = namespace;
            this.pod = pod;
            this.container = container;
            this.timestamps = timestamps;
            this.since = since;
            this.tail = tail;
            this.bytesLeft = limitBytes;
        }

        /** True when the response has ended (the container terminated, the limit was reached, the client left). */
        boolean send() {
            if (response.ended() || response.closed()) {
                return true;
            }
            ContainerLogs.Page page = logs.page(namespace, pod, container, timestamps, since, tail, next);
            next = page.next();
            byte[] body = page.body();
            if (body.length > 0) {
                int n = (int) Math.min(body.length, bytesLeft);
                response.write(Buffer.buffer(n == body.length ? body : java.util.Arrays.copyOf(body, n)));
                bytesLeft -= n;
            }
            if (page.ended() || bytesLeft <= 0) {
                response.end();
                return true;
            }
            return false;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
