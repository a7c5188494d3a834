package io.runnerfleet.config;

/**
 * A {@code [[runners]]} entry's TLS files towards GitLab, gitlab-runner's {@code tls-ca-file}, {@code tls-cert-file}
 * and {@code tls-key-file} ({@code common/config.go}): paths on the manager. Null means unset.
 */
public record RunnerTls(String caFile, String certFile, String keyFile) {
    public static final RunnerTls NONE = new RunnerTls(null, null, null);
}
