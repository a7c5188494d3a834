package io.runnerfleet.fleet;

import static io.runnerfleet.fleet.OperatorHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.runnerfleet.api.v1alpha1.FleetCondition;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.BadFleets;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.testing.RealApiTestCluster;
import io.runnerfleet.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The third judge of {@link BadFleets}: each case the CRD's schema accepts is stored by the real API server, and the
 * running operator marks that fleet Degraded (InvalidSpec) naming the field, creates nothing for it, and leaves a
 * good fleet beside it alone: every other object in the namespace keeps its resourceVersion, and the operator's
 * only writes are the bad fleet's own status and its Event.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadFleetsDegradeOnRealApiServerTest {
    private static final String GOOD = "good-fleet";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final RealApiServer server;
    private TestCluster cluster;
    private OperatorHarness harness;
    private String ns;

    BadFleetsDegradeOnRealApiServerTest(RealApiServer server) {
        this.server = server;
    }

    @BeforeAll
    void goodFleetRunning() throws InterruptedException {
        cluster = RealApiTestCluster.on(server);
        ns = cluster.createNamespace("degraded");
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.create(Fleets.seed(ns, GOOD));
        harness.awaitFleet(ns, GOOD, condition("Degraded", "False", "AsExpected"));
        assertThat(harness.deployment(ns, GOOD)).isNotNull();
        Thread.sleep(500); // let the last status write's own echo pass, as the resync test does
    }

    @AfterAll
    void stop() {
        if (harness != null) {
            harness.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static Stream<BadFleets.Case> acceptedBySchema() {
        return BadFleets.CASES.stream().filter(c -> c.server() == BadFleets.Server.ACCEPTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedBySchema")
    void theOperatorMarksItDegradedNamingTheFieldAndTouchesNothingElse(BadFleets.Case badFleet) {
        String name = "bad-" + NAMES.incrementAndGet();
        Map<String, String> before = resourceVersions();
        int writesBefore = cluster.writes().size();

        GenericKubernetesResource fleet = harness.client()
                .getKubernetesSerialization()
                .unmarshal(badFleet.yaml(), GenericKubernetesResource.class);
        fleet.getMetadata().setNamespace(ns);
        fleet.getMetadata().setName(name);
        harness.client().resource(fleet).create();

        RunnerFleet degraded = harness.awaitFleet(ns, name, condition("Degraded", "True", "InvalidSpec"));
        assertThat(condition(degraded, "Degraded").map(FleetCondition::message))
                .get()
                .asString()
                .contains(badFleet.field())
                .contains(badFleet.offline());

        Map<String, String> after = resourceVersions();
        after.remove("RunnerFleet/" + name);
        assertThat(after).as("every other object, with its resourceVersion").isEqualTo(before);
        assertThat(labelledWith(name)).as("objects made for the bad fleet").isEmpty();
        List<String> writes = cluster.writes();
        assertThat(writes.subList(writesBefore, writes.size()))
                .as("writes while the bad fleet was judged")
                .allMatch(write -> write.contains("/runnerfleets/" + name)
                        || write.endsWith("/runnerfleets")
                        || write.contains("/events"));
    }

    /** Every object a fleet owns or reads in the namespace, by kind and name, with its resourceVersion. */
    private Map<String, String> resourceVersions() {
        List<HasMetadata> objects = new ArrayList<>();
        var client = harness.client();
        objects.addAll(
                client.resources(RunnerFleet.class).inNamespace(ns).list().getItems());
        objects.addAll(client.secrets().inNamespace(ns).list().getItems());
        objects.addAll(client.configMaps().inNamespace(ns).list().getItems());
        objects.addAll(client.serviceAccounts().inNamespace(ns).list().getItems());
        objects.addAll(client.rbac().roles().inNamespace(ns).list().getItems());
        objects.addAll(client.rbac().roleBindings().inNamespace(ns).list().getItems());
        objects.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
        objects.addAll(client.services().inNamespace(ns).list().getItems());
        objects.addAll(client.resources(PodDisruptionBudget.class)
                .inNamespace(ns)
                .list()
                .getItems());
        objects.addAll(client.pods().inNamespace(ns).list().getItems());
        Map<String, String> versions = new TreeMap<>();
        objects.forEach(o -> versions.put(
                o.getClass().getSimpleName() + "/" + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion()));
        assertThat(versions).containsKey("Deployment/" + GOOD + "-manager");
        return versions;
    }

    private List<String> labelledWith(String fleetName) {
        List<HasMetadata> objects = new ArrayList<>();
        var client = harness.client();
        objects.addAll(client.configMaps()
                .inAnyNamespace()
                .withLabel(FleetLabels.FLEET, fleetName)
                .list()
                .getItems());
        objects.addAll(client.rbac()
                .roles()
                .inAnyNamespace()
                .withLabel(FleetLabels.FLEET, fleetName)
                .list()
                .getItems());
        objects.addAll(client.apps()
                .deployments()
                .inAnyNamespace()
                .withLabel(FleetLabels.FLEET, fleetName)
                .list()
                .getItems());
        return objects.stream()
                .map(o -> o.getClass().getSimpleName() + "/" + o.getMetadata().getName())
                .toList();
    }
}
