package io.runnerfleet.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.runnerfleet.testing.gitlab.SelfSignedTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTPS proxy between a Kubernetes client and the real kube-apiserver ({@link RealApiServer}) that answers badly
 * on purpose (issue #18): a share of the calls get 500, 503 or 429 (with {@code Retry-After}) without reaching the
 * API server, a share of the updates get 409 Conflict (as the API server answers a stale resourceVersion), a share
 * are delayed, watch streams are ended after a random while (the stream closes, as when the API server's watch
 * timeout ends it, not a torn connection: the JDK's server always ends a chunked answer cleanly), and {@link #outage(boolean)} refuses every call (the
 * connection is closed unanswered) until it ends.
 *
 * <p>The proxy terminates TLS with a self-signed certificate ({@link SelfSignedTls}); {@link #clientConfig()} trusts
 * it and carries no credentials: the proxy speaks HTTPS upstream as the API server's admin (the client certificate of
 * {@link RealApiServer#adminConfig()}). Faults are drawn from a seeded random per call.
 *
 * @see Plan
 */
public final class KubeFaultProxy implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of(
            "connection",
            "content-length",
            "host",
            "upgrade",
            "expect",
            "keep-alive",
            "transfer-encoding",
            "te",
            "http2-settings",
            "authorization");

    /**
     * What goes wrong, each drawn per call.
     *
     * @param errorRate    calls answered 500, 503 or 429 (a third each), not forwarded
     * @param conflictRate updates (PUT, PATCH) answered 409 Conflict, not forwarded
     * @param slowRate     calls delayed {@code minDelay}..{@code maxDelay} before being forwarded
     * @param watchCutMin  a watch stream is cut after a random time between this and {@code watchCutMax}
     */
    public record Plan(
            long seed,
            double errorRate,
            double conflictRate,
            double slowRate,
            Duration minDelay,
            Duration maxDelay,
            Duration watchCutMin,
            Duration watchCutMax) {
        public static final Plan NONE =
                new Plan(0, 0, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ofDays(1), Duration.ofDays(1));

        /** Issue #18's: 10 % 500/503/429, 5 % 409 on updates, 1–3 s latency on 10 %, watches cut every 5–20 s. */
        public static Plan unreliable(long seed) {
            return new Plan(
                    seed,
                    0.10,
                    0.05,
                    0.10,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(20));
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kube-fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient upstream;
    private final URI upstreamUrl;
    private final Path caFile;
    private volatile Plan plan = Plan.NONE;
    private volatile boolean outage;
    private Random random = new Random(0);
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    /** The upstream bodies of the watches being passed on; closing one ends its watch. */
    private final Set<InputStream> watches = ConcurrentHashMap.newKeySet();
    /**
     * The upstream bodies of the {@code follow=true} log streams being passed on: not cut at random (the issue cuts
     * watches), but ended by an outage, as an API server that goes away ends them.
     */
    private final Set<InputStream> logStreams = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kube-fault-proxy-cutter");
        t.setDaemon(true);
        return t;
    });

    private KubeFaultProxy(Config upstreamConfig, Path dir) throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        this.caFile = tls.caFile();
        this.upstreamUrl = URI.create(upstreamConfig.getMasterUrl());
        this.upstream = HttpClient.newBuilder()
                .sslContext(SSLUtils.sslContext(upstreamConfig))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.server()));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A proxy in front of the API server that {@code upstreamConfig} reaches (with its credentials). */
    public static KubeFaultProxy start(Config upstreamConfig, Path dir) {
        try {
            Files.createDirectories(dir);
            return new KubeFaultProxy(upstreamConfig, dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Kubernetes fault proxy", e);
        }
    }

    /** A client configuration that reaches the API server through this proxy (its CA trusted, no credentials). */
    public Config clientConfig() {
        try {
            return new ConfigBuilder()
                    .withMasterUrl("https://127.0.0.1:" + server.getAddress().getPort())
                    .withCaCertData(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(caFile)))
                    .withRequestTimeout(10_000)
                    // Watches as plain HTTP streams: the JDK's server cannot pass a WebSocket upgrade on, and the API
                    // server serves the same watch either way.
                    .withOnlyHttpWatches(true)
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void plan(Plan value) {
        synchronized (this) {
            random = new Random(value.seed());
            plan = value;
        }
    }

    /**
     * While on, every call is refused (its connection closed before any answer) and every open watch and log stream
     * is ended.
     */
    public void outage(boolean on) {
        outage = on;
        if (on) {
            watches.forEach(KubeFaultProxy::closeQuietly);
            logStreams.forEach(KubeFaultProxy::closeQuietly);
        }
    }

    /** Calls by outcome: {@code forwarded}, {@code error}, {@code conflict}, {@code slow}, {@code refused}, {@code cut}, and {@code write} (forwarded PUT/POST/PATCH/DELETE). */
    public int count(String what) {
        AtomicInteger n = counts.get(what);
        return n == null ? 0 : n.get();
    }

    private void count(String what, int n) {
        counts.computeIfAbsent(what, k -> new AtomicInteger()).addAndGet(n);
    }

    private double draw() {
        synchronized (this) {
            return random.nextDouble();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (outage) {
                count("refused", 1);
                return; // closing the exchange before any header closes the connection
            }
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            boolean update = method.equals("PUT") || method.equals("PATCH");
            Plan p = plan;
            double r = draw();
            if (r < p.errorRate()) {
                int[] statuses = {500, 503, 429};
                int status = statuses[(int) (r / p.errorRate() * 3) % 3];
                count("error", 1);
                answer(exchange, status, status == 429 ? "1" : null, "injected " + status);
                return;
            }
            if (update && r < p.errorRate() + p.conflictRate()) {
                count("conflict", 1);
                answer(exchange, 409, null, "Operation cannot be fulfilled: the object has been modified (injected)");
                return;
            }
            if (draw() < p.slowRate()) {
                count("slow", 1);
                long span = p.maxDelay().toMillis() - p.minDelay().toMillis();
                pause(p.minDelay().toMillis() + (long) (draw() * span));
            }
            forward(exchange, method, body, p);
        } catch (IOException | RuntimeException e) {
            // the client gave up, or the upstream call failed: the connection closes unanswered
        }
    }

    private void forward(HttpExchange exchange, String method, byte[] body, Plan p) throws IOException {
        URI uri = upstreamUrl.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()));
        boolean watch = uri.getRawQuery() != null && uri.getRawQuery().contains("watch=true");
        boolean follow = uri.getRawQuery() != null && uri.getRawQuery().contains("follow=true");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        count("forwarded", 1);
        if (!method.equals("GET")) {
            count("write", 1);
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        InputStream in = response.body();
        if (follow) {
            logStreams.add(in);
        }
        ScheduledFuture<?> cut = null;
        if (watch) {
            watches.add(in);
            long span = p.watchCutMax().toMillis() - p.watchCutMin().toMillis();
            long after = p.watchCutMin().toMillis() + (long) (draw() * span);
            cut = cutter.schedule(
                    () -> {
                        count("cut", 1);
                        closeQuietly(in);
                    },
                    after,
                    TimeUnit.MILLISECONDS);
        }
        try (in) {
            exchange.sendResponseHeaders(response.statusCode(), 0);
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            out.close();
        } finally {
            logStreams.remove(in);
            if (cut != null) {
                cut.cancel(false);
                watches.remove(in);
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void answer(HttpExchange exchange, int status, String retryAfter, String message)
            throws IOException {
        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
                        + "\",\"code\":" + status + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        cutter.shutdownNow();
    }
}
