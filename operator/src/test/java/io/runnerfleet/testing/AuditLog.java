package io.runnerfleet.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real API server's audit log ({@link RealApiServer}): one JSON line per request, at level {@code Metadata}, once
 * the request is complete (the {@code RequestReceived} and {@code ResponseStarted} stages are left out, so a watch
 * or a log stream is one line too), in a directory of its own that {@link #delete()} removes.
 */
record AuditLog(Path dir) {
    private static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived", "ResponseStarted"]
            omitManagedFields: true
            rules:
            - level: Metadata
            """;

    static AuditLog create() {
        try {
            Path dir = Files.createTempDirectory("real-api-server-audit");
            Files.writeString(dir.resolve("policy.yaml"), POLICY);
            return new AuditLog(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the real API server's audit policy", e);
        }
    }

    Path policy() {
        return dir.resolve("policy.yaml");
    }

    Path log() {
        return dir.resolve("audit.log");
    }

    long requestsBy(String userAgent) {
        String field = "\"userAgent\":\"" + userAgent + "\"";
        if (!Files.exists(log())) {
            return 0;
        }
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(log(), StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.contains(field)) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the real API server's audit log " + log(), e);
        }
        return n;
    }

    void delete() {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("deleting the real API server's audit log: " + e);
        }
    }
}
