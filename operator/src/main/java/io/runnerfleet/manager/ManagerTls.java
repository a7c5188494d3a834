package io.runnerfleet.manager;

import io.runnerfleet.config.RunnerTls;
import io.runnerfleet.gitlab.client.GitLabTls;
import io.runnerfleet.jobpod.JobPodContext;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * A runner's TLS files, read once when the manager starts: the GitLab client's context and the contents every job
 * gets as {@code CI_SERVER_TLS_*_FILE}. gitlab-runner hands a job the CA file's content when one is configured
 * ({@code network/client.go} {@code buildCAChain}); without one it would send the chain the server presented, which
 * we do not: without {@code tls-ca-file} a job gets no {@code CI_SERVER_TLS_CA_FILE}.
 *
 * @param sslContext null when no TLS file is configured (the JVM's default trust)
 */
record ManagerTls(SSLContext sslContext, JobPodContext.ServerTls forJobs) {
    private static final String SOURCE = "config.toml [[runners]]";

    static ManagerTls of(RunnerTls tls) {
        Path ca = path(tls.caFile());
        Path cert = path(tls.certFile());
        Path key = path(tls.keyFile());
        if (ca == null && (cert == null || key == null)) {
            return new ManagerTls(null, JobPodContext.ServerTls.NONE);
        }
        SSLContext context = GitLabTls.context(SOURCE, ca, cert, key);
        return new ManagerTls(
                context,
                new JobPodContext.ServerTls(
                        ca == null ? null : GitLabTls.read(SOURCE, "tls-ca-file", ca),
                        cert == null || key == null ? null : GitLabTls.read(SOURCE, "tls-cert-file", cert),
                        cert == null || key == null ? null : GitLabTls.read(SOURCE, "tls-key-file", key)));
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
