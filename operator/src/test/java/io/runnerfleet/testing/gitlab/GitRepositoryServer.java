package io.runnerfleet.testing.gitlab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;

/**
 * The bare repositories under one directory, served on 127.0.0.1 over git's smart HTTP (or HTTPS) like GitLab: only
 * to {@code gitlab-ci-token} with the one job token, so a clone that lacks the token fails as it would against
 * GitLab. Other paths go to {@code fallback} (e.g. the runner API), if one is given.
 */
public final class GitRepositoryServer implements AutoCloseable {
    private final HttpServer server;
    private final GitHttpBackend backend;
    private final String expectedAuthorization;

    private GitRepositoryServer(Path root, String token, SSLContext tls, BiConsumer<HttpExchange, byte[]> fallback)
            throws IOException {
        this.backend = new GitHttpBackend(root);
        this.expectedAuthorization = "Basic "
                + Base64.getEncoder().encodeToString(("gitlab-ci-token:" + token).getBytes(StandardCharsets.UTF_8));
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 16);
        } else {
            HttpsServer https = HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String path = exchange.getRequestURI().getPath();
                if (!GitHttpBackend.isGitPath(path) && fallback != null) {
                    fallback.accept(exchange, body);
                } else if (!expectedAuthorization.equals(
                        exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"GitLab\"");
                    exchange.sendResponseHeaders(401, -1);
                } else {
                    backend.serve(exchange, body);
                }
            }
        });
        server.start();
    }

    /** Plain HTTP. */
    public static GitRepositoryServer http(Path root, String token) throws IOException {
        return new GitRepositoryServer(root, token, null, null);
    }

    /** HTTPS with {@code tls}; paths that are no repository go to {@code fallback}. */
    public static GitRepositoryServer https(
            Path root, String token, SSLContext tls, BiConsumer<HttpExchange, byte[]> fallback) throws IOException {
        return new GitRepositoryServer(root, token, tls, fallback);
    }

    /** {@code http://127.0.0.1:PORT} (or https), no trailing slash. */
    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
