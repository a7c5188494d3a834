package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's package; .ci/run installs it) scrapes a running manager on gitlab-runner's
 * :9252 (any free port when another process holds it) and sees what config.toml says.
 */
class PrometheusScrapeTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @TempDir
    Path dir;

    private Process prometheus;
    private ManagerHarness harness;

    @AfterEach
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void prometheusScrapesTheManagerAndSeesItsConcurrentSetting() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(PROMETHEUS),
                "no Prometheus binary at /usr/bin/prometheus: apt-get install -y --no-install-recommends prometheus");
        harness = new ManagerHarness();
        RunnerManager manager = startOnGitlabRunnersPortIfFree(harness, harness.config(17));
        int prometheusPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: runner-fleet-manager
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(manager.metricsPort()));
        prometheus = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ObjectMapper json = new ObjectMapper();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    JsonNode result = query(http, json, prometheusPort, "gitlab_runner_concurrent");
                    assertThat(result.path("data").path("result")).isNotEmpty();
                    assertThat(result.path("data")
                                    .path("result")
                                    .get(0)
                                    .path("value")
                                    .get(1)
                                    .asText())
                            .isEqualTo("17");
                });
        JsonNode limit = query(http, json, prometheusPort, "gitlab_runner_limit");
        assertThat(limit.path("data")
                        .path("result")
                        .get(0)
                        .path("metric")
                        .path("runner_name")
                        .asText())
                .isEqualTo(ManagerHarness.FLEET);
        JsonNode polls =
                query(http, json, prometheusPort, "gitlab_runner_api_request_statuses_total{endpoint=\"request_job\"}");
        assertThat(polls.path("data").path("result"))
                .as("the manager is polling GitLab")
                .isNotEmpty();
        JsonNode jobsTotal = query(http, json, prometheusPort, "gitlab_runner_jobs_total");
        assertThat(jobsTotal.path("data").path("result"))
                .as("the counter kept its name through OpenMetrics")
                .isNotEmpty();
        JsonNode targets = json.readTree(http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(targets.path("data")
                        .path("activeTargets")
                        .get(0)
                        .path("health")
                        .asText())
                .isEqualTo("up");
    }

    private static JsonNode query(HttpClient http, ObjectMapper json, int port, String promql) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return json.readTree(http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    /** gitlab-runner's :9252 when it is free on this machine, else any free port. */
    private static RunnerManager startOnGitlabRunnersPortIfFree(
            ManagerHarness harness, io.runnerfleet.config.ManagerConfig config) {
        try {
            return harness.startManager("shop-manager-a", config, "127.0.0.1:9252");
        } catch (java.io.UncheckedIOException e) {
            return harness.startManager("shop-manager-b", config, "127.0.0.1:0");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
