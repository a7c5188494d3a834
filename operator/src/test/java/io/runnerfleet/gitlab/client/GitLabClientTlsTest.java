package io.runnerfleet.gitlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.testing.gitlab.GitRepositoryServer;
import io.runnerfleet.testing.gitlab.SelfSignedTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager's GitLab client against a GitLab stand-in served over HTTPS with a self-signed CA made in the test:
 * trusted through {@code tls-ca-file} ({@link GitLabTls}), refused with a message naming the fix without it.
 */
class GitLabClientTlsTest {
    @TempDir
    Path tmp;

    SelfSignedTls tls;

    @BeforeEach
    void certificate() throws Exception {
        tls = SelfSignedTls.create(tmp);
    }

    GitLabClient client(String url, SSLContext context) {
        return new GitLabClient(GitLabClientConfig.builder(url)
                .sslContext(context)
                .maxAttempts(1)
                .sleeper(d -> {})
                .build());
    }

    GitRepositoryServer gitlab() throws Exception {
        return GitRepositoryServer.https(
                Files.createDirectories(tmp.resolve("repos")), "unused", tls.server(), (exchange, body) -> {
                    byte[] answer = "{\"id\":42,\"token_expires_at\":null}".getBytes(StandardCharsets.UTF_8);
                    try {
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(
                                exchange.getRequestURI().getPath().equals("/api/v4/runners/verify") ? 200 : 404,
                                answer.length);
                        exchange.getResponseBody().write(answer);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    @Test
    void withTheCaFileTheClientTalksToGitLabOverHttps() throws Exception {
        try (GitRepositoryServer gitlab = gitlab()) {
            SSLContext context = GitLabTls.context("config.toml", tls.caFile(), null, null);
            assertThat(client(gitlab.url() + "/", context).verify("glrt-token"))
                    .isEqualTo(new VerifyResult.Verified(42L, null));
        }
    }

    @Test
    void withoutItTheHandshakeFailsWithAMessageNamingTheFix() throws Exception {
        try (GitRepositoryServer gitlab = gitlab()) {
            VerifyResult result = client(gitlab.url() + "/", null).verify("glrt-token");
            assertThat(result).isInstanceOf(VerifyResult.Failed.class);
            assertThat(((VerifyResult.Failed) result).message())
                    .contains("SSLHandshakeException", "not trusted", "tls-ca-file");
        }
    }

    @Test
    void aCaFileThatIsNoCertificateIsBadInputNamingTheKey() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("ca.pem"), "not a certificate\n");
        assertThatThrownBy(() -> GitLabTls.context("config.toml", notPem, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("tls-ca-file");
        assertThatThrownBy(() -> GitLabTls.context("config.toml", tmp.resolve("missing.pem"), null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("tls-ca-file")
                .hasMessageContaining("missing.pem");
    }
}
