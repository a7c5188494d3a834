package io.runnerfleet.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's own HTTP port: {@code /healthz} (liveness: every informer is healthy), {@code /readyz} (the
 * operator has started and synced its caches) and {@code /metrics} (JOSDK's Micrometer metrics and
 * {@code runner_fleet_fleet_ready}, Prometheus text).
 *
 * <p>With leader election a standby is ready too: it is a hot standby whose caches are synced, and it takes over
 * without a restart. {@code /readyz} says which it is ({@code ok: leader}, {@code ok: standby, leader is ...}).
 */
final class HealthServer implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private final HttpServer server;

    HealthServer(int port, RuntimeInfo runtime, PrometheusMeterRegistry registry, Supplier<String> role) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        server.createContext(
                "/healthz",
                exchange -> respond(
                        exchange,
                        runtime.isStarted() && runtime.allEventSourcesAreHealthy(),
                        "text/plain",
                        runtime.isStarted() && runtime.allEventSourcesAreHealthy()
                                ? "ok\n"
                                : "unhealthy event sources: " + runtime.unhealthyEventSources() + "\n"));
        server.createContext("/readyz", exchange -> {
            String detail = role.get();
            respond(
                    exchange,
                    runtime.isStarted(),
                    "text/plain",
                    runtime.isStarted() ? (detail.isEmpty() ? "ok\n" : "ok: " + detail + "\n") : "starting\n");
        });
        // Prometheus 2.x asks for OpenMetrics first; text 0.0.4 is what every version reads.
        server.createContext("/metrics", exchange -> respond(exchange, true, PROMETHEUS_TEXT, registry.scrape()));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "health-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, boolean ok, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(ok ? 200 : 503, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
