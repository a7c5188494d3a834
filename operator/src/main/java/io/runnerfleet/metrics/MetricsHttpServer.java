package io.runnerfleet.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * gitlab-runner's listener: {@code /metrics} (text 0.0.4 or OpenMetrics by {@code Accept}), {@code /health/ready}
 * and, for Kubernetes probes, {@code /healthz}.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private final HttpServer server;

    public MetricsHttpServer(
            InetSocketAddress address, MetricsRegistry registry, BooleanSupplier ready, BooleanSupplier alive)
            throws IOException {
        server = HttpServer.create(address, 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "metrics-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/metrics", exchange -> {
            String contentType =
                    Exposition.contentTypeFor(exchange.getRequestHeaders().getFirst("Accept"));
            respond(exchange, 200, contentType, Exposition.render(registry, contentType));
        });
        server.createContext("/health/ready", exchange -> probe(exchange, ready));
        server.createContext("/healthz", exchange -> probe(exchange, alive));
        server.start();
    }

    /** Parses gitlab-runner's {@code listen_address}: {@code ":9252"}, {@code "host:port"} or a bare host. */
    public static InetSocketAddress parseListenAddress(String listenAddress) {
        int colon = listenAddress.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress(listenAddress, 9252);
        }
        String host = listenAddress.substring(0, colon);
        int port = Integer.parseInt(listenAddress.substring(colon + 1));
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange exchange, BooleanSupplier check) throws IOException {
        boolean ok = check.getAsBoolean();
        respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "not ready\n");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
