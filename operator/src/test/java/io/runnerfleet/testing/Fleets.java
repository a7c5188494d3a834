package io.runnerfleet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.validation.FleetLoader;
import java.util.Map;

/** Test fleets: the seed example moved into a test namespace, and single-field changes of a fleet. */
public final class Fleets {
    public static final String TOKEN_SECRET = "build-fleet-token";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private Fleets() {}

    /** examples/seed-fleet.yaml (3 managers x 10 jobs) in {@code namespace}, running its Job Pods there too. */
    public static RunnerFleet seed(String namespace) {
        return seed(namespace, "build-fleet");
    }

    public static RunnerFleet seed(String namespace, String name) {
        RunnerFleet fleet =
                new FleetLoader().load(Examples.path("seed-fleet.yaml")).get(0);
        fleet.getMetadata().setNamespace(namespace);
        fleet.getMetadata().setName(name);
        return with(fleet, "spec.executor.namespace", namespace);
    }

    /** A copy of {@code fleet} with the field at a dotted path ({@code spec.managers.replicas}) set to value. */
    public static RunnerFleet with(RunnerFleet fleet, String path, Object value) {
        ObjectNode tree = JSON.convertValue(fleet, ObjectNode.class);
        String[] parts = path.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            parent = child instanceof ObjectNode object ? object : parent.putObject(parts[i]);
        }
        parent.set(parts[parts.length - 1], JSON.convertValue(value, JsonNode.class));
        return JSON.convertValue(tree, RunnerFleet.class);
    }

    public static Secret tokenSecret(String namespace) {
        return tokenSecret(namespace, TOKEN_SECRET, "token");
    }

    public static Secret tokenSecret(String namespace, String name, String key) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of(key, "glrt-test-token"))
                .build();
    }
}
