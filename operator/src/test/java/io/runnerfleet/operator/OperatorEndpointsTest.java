package io.runnerfleet.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.Cli;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.MockTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorEndpointsTest {

    @Test
    void servesHealthReadinessAndJosdkMetricsOnItsOwnPort() throws Exception {
        try (MockTestCluster cluster = MockTestCluster.start()) {
            String ns = cluster.createNamespace("endpoints");
            OperatorConfig config =
                    OperatorConfig.defaults().withWatchNamespaces(Set.of(ns)).withHealthPort(0);
            try (RunnerFleetOperator operator = RunnerFleetOperator.start(cluster.client(), config)) {
                cluster.client().resource(Fleets.tokenSecret(ns)).create();
                cluster.client().resource(Fleets.seed(ns)).create();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> cluster.client()
                                        .resources(RunnerFleet.class)
                                        .inNamespace(ns)
                                        .withName("build-fleet")
                                        .get()
                                        .getStatus()
                                != null);

                assertThat(get(operator.healthPort(), "/healthz")).isEqualTo("200 ok\n");
                assertThat(get(operator.healthPort(), "/readyz")).isEqualTo("200 ok\n");
                assertThat(get(operator.healthPort(), "/metrics"))
                        .startsWith("200 ")
                        .contains("operator_sdk_reconciliations_started_total");
            }
        }
    }

    @Test
    void exportsWhetherEachFleetIsReadyUntilTheFleetIsDeleted() throws Exception {
        try (MockTestCluster cluster = MockTestCluster.start()) {
            String ns = cluster.createNamespace("fleet-ready");
            OperatorConfig config =
                    OperatorConfig.defaults().withWatchNamespaces(Set.of(ns)).withHealthPort(0);
            try (RunnerFleetOperator operator = RunnerFleetOperator.start(cluster.client(), config)) {
                cluster.client().resource(Fleets.tokenSecret(ns)).create();
                RunnerFleet fleet = cluster.client().resource(Fleets.seed(ns)).create();
                String series = "runner_fleet_fleet_ready{fleet=\"build-fleet\",namespace=\"" + ns + "\"}";

                // Created, managers not ready yet: the alert's "== 0".
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> get(operator.healthPort(), "/metrics"), body -> body.contains(series + " 0.0"));
                cluster.setDeploymentReady(ns, "build-fleet-manager", 3);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> get(operator.healthPort(), "/metrics"), body -> body.contains(series + " 1.0"));
                assertThat(get(operator.healthPort(), "/metrics")).contains("# TYPE runner_fleet_fleet_ready gauge");

                cluster.client().resource(fleet).delete();
                await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> get(operator.healthPort(), "/metrics"),
                                body -> body.startsWith("200 ") && !body.contains("runner_fleet_fleet_ready{"));
            }
        }
    }

    @Test
    void configurationIsShownInHelp() {
        Cli.Result help = Cli.run("operator", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains(
                        "--watch-namespaces",
                        "--health-port",
                        "--log-level",
                        "--manager-image",
                        "--resync-interval",
                        "--[no-]leader-election",
                        "RUNNER_FLEET_WATCH_NAMESPACES",
                        "RUNNER_FLEET_LEADER_ELECTION",
                        "/healthz");
    }

    @Test
    void badConfigurationIsBadInput() {
        Cli.Result result = Cli.run("operator", "--log-level", "LOUD");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("log level LOUD is not one of");
    }

    @Test
    void namespacesParseFromACommaSeparatedList() {
        assertThat(OperatorConfig.parseNamespaces(" a, b ,,c")).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(OperatorConfig.parseNamespaces("")).isEmpty();
        assertThat(OperatorConfig.defaults().watchesAllNamespaces()).isTrue();
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
