package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.CacheS3Spec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.CapturedLog;
import io.runnerfleet.testing.DistinctSecrets;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #18, the operator's side of {@code manager.SecretsInEveryChannelTest}: a fleet whose runner token and cache
 * S3 keys are distinctive random strings is reconciled, then pointed at a token key that does not exist (so the
 * error paths write their status, Events and log lines too). Neither secret, in any form of {@link
 * DistinctSecrets#forms}, is in the operator's log (every logger, TRACE for ours, MDC and stack traces), the fleet
 * (spec and status), any Event, or any object the operator writes but the Secrets themselves (the Deployment's pod
 * template reads them through {@code secretKeyRef} and volumes, never inline). {@link
 * SecretsInOperatorChannelsOnMockTest} runs it on fabric8's mock API server, {@link
 * SecretsInOperatorChannelsOnRealApiServerTest} on a real kube-apiserver.
 */
abstract class AbstractSecretsInOperatorChannelsTest {
    private static final String FLEET = "build-fleet";
    private static final String CACHE_SECRET = "build-fleet-cache";
    private CapturedLog log;
    private TestCluster cluster;
    private OperatorHarness harness;

    /** The cluster the test runs on; {@link TestCluster#close()} is called after. */
    abstract TestCluster startCluster();

    @BeforeEach
    void captureTheLog() {
        log = CapturedLog.start();
    }

    @AfterEach
    void release() {
        if (harness != null) {
            harness.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        log.close();
    }

    @Test
    void noSecretInTheOperatorsLogTheFleetItsEventsOrObjects() {
        DistinctSecrets s = DistinctSecrets.random();
        String accessKey = "AKIA" + s.jobToken().substring(9, 25).toUpperCase(java.util.Locale.ROOT);
        cluster = startCluster();
        String ns = cluster.createNamespace("secrets");
        harness = OperatorHarness.start(cluster, ns);
        KubernetesClient client = harness.client();
        client.resource(secret(ns, Fleets.TOKEN_SECRET, Map.of("token", s.runnerToken())))
                .create();
        client.resource(secret(
                        ns,
                        CACHE_SECRET,
                        Map.of(CacheS3Spec.ACCESS_KEY, accessKey, CacheS3Spec.SECRET_KEY, s.s3SecretKey())))
                .create();
        RunnerFleet fleet = Fleets.with(
                Fleets.seed(ns, FLEET),
                "spec.runner.cache",
                Map.of(
                        "type",
                        "s3",
                        "s3",
                        Map.of(
                                "serverAddress",
                                "s3.example.com",
                                "bucketName",
                                "caches",
                                "credentialsSecret",
                                CACHE_SECRET)));
        harness.create(fleet);
        harness.awaitFleet(ns, FLEET, OperatorHarness.condition("TokenSecretFound", "True", null));
        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.gitlab.tokenSecretRef.key", "runner-token"));
        harness.awaitFleet(ns, FLEET, OperatorHarness.condition("TokenSecretFound", "False", "KeyNotFound"));
        assertThat(harness.deployment(ns, FLEET))
                .as("the operator wrote its objects")
                .isNotNull();

        List<String> logged = log.productLines();
        assertThat(logged)
                .as("the operator's log was captured")
                .anyMatch(line -> line.contains(FLEET) || line.contains(ns));
        List<String> objects = objects(client, ns);
        assertThat(objects).anySatisfy(o -> assertThat(o).contains("\"kind\":\"RunnerFleet\"", "KeyNotFound"));
        for (Map.Entry<String, String> secret : Map.of(
                        "runner token",
                        s.runnerToken(),
                        "cache S3 secret key",
                        s.s3SecretKey(),
                        "cache S3 access key",
                        accessKey)
                .entrySet()) {
            for (String form : DistinctSecrets.forms(secret.getValue())) {
                assertThat(logged)
                        .as("the operator's log holds the %s as %s", secret.getKey(), form)
                        .noneMatch(line -> line.contains(form));
                assertThat(objects)
                        .as("the fleet, an Event or an object holds the %s as %s", secret.getKey(), form)
                        .noneMatch(o -> o.contains(form));
            }
        }
    }

    private static io.fabric8.kubernetes.api.model.Secret secret(String ns, String name, Map<String, String> data) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withStringData(data)
                .build();
    }

    /** The fleet and every kind of object the operator writes, but Secrets, as JSON. */
    private static List<String> objects(KubernetesClient client, String ns) {
        var json = client.getKubernetesSerialization();
        List<Object> all = new ArrayList<>();
        all.addAll(client.resources(RunnerFleet.class).inNamespace(ns).list().getItems());
        all.addAll(client.v1().events().inNamespace(ns).list().getItems());
        all.addAll(client.events().v1().events().inNamespace(ns).list().getItems());
        all.addAll(client.configMaps().inNamespace(ns).list().getItems());
        all.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
        all.addAll(client.services().inNamespace(ns).list().getItems());
        all.addAll(client.serviceAccounts().inNamespace(ns).list().getItems());
        all.addAll(client.rbac().roles().inNamespace(ns).list().getItems());
        all.addAll(client.rbac().roleBindings().inNamespace(ns).list().getItems());
        all.addAll(client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .list()
                .getItems());
        all.addAll(client.leases().inAnyNamespace().list().getItems());
        return all.stream().map(json::asJson).toList();
    }
}
