package io.runnerfleet.testing.gitlab;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves the bare repositories under one directory over git's smart HTTP protocol, as GitLab serves
 * {@code /<full_path>.git}: each request runs real {@code git http-backend} (git's own CGI program), so a Job Pod's
 * {@code prepare} container clones, fetches by depth and checks out exactly as it would from GitLab. Any
 * {@code gitlab-ci-token} credentials in the URL are accepted: access control is not what these tests are about.
 */
public final class GitHttpBackend {
    private static final long TIMEOUT_SECONDS = 120;
    private final Path root;

    public GitHttpBackend(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** Whether a request path names a repository ({@code /acme/shop.git/info/refs}, ...). */
    public static boolean isGitPath(String path) {
        return path.contains(".git/");
    }

    public void serve(HttpExchange exchange, byte[] body) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder("git", "http-backend").redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        env.put("PATH_INFO", exchange.getRequestURI().getPath());
        String query = exchange.getRequestURI().getRawQuery();
        env.put("QUERY_STRING", query == null ? "" : query);
        env.put("REMOTE_ADDR", exchange.getRemoteAddress().getAddress().getHostAddress());
        env.put("CONTENT_LENGTH", Integer.toString(body.length));
        copyHeader(exchange, "Content-Type", env, "CONTENT_TYPE");
        copyHeader(exchange, "Content-Encoding", env, "HTTP_CONTENT_ENCODING");
        copyHeader(exchange, "Git-Protocol", env, "HTTP_GIT_PROTOCOL");
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(body);
        }
        byte[] output;
        try (InputStream out = process.getInputStream()) {
            output = out.readAllBytes();
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        respond(exchange, output);
    }

    /** A CGI answer is headers, a blank line, then the body; {@code Status:} sets the HTTP status. */
    private static void respond(HttpExchange exchange, byte[] cgi) throws IOException {
        int split = indexOf(cgi, "\r\n\r\n");
        int bodyStart = split + 4;
        if (split < 0) {
            split = indexOf(cgi, "\n\n");
            bodyStart = split + 2;
        }
        if (split < 0) {
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        int status = 200;
        for (String line : new String(cgi, 0, split, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ", 2)[0]);
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        int length = cgi.length - bodyStart;
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(cgi, bodyStart, length);
            }
        }
    }

    private static void copyHeader(HttpExchange exchange, String header, Map<String, String> env, String variable) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
            env.put(variable, value);
        }
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
