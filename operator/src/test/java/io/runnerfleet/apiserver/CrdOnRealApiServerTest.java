package io.runnerfleet.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.runnerfleet.api.v1alpha1.FleetCondition;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.BadFleets;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.validation.FleetLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed CRD on a real kube-apiserver: accepted as is, published with descriptions, its status subresource
 * and generation behave as the operator relies on, and the server's defaulting matches {@code render}'s.
 */
@ExtendWith(RealApiServerExtension.class)
class CrdOnRealApiServerTest {
    private static RealApiServer server;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void start(RealApiServer realApiServer) {
        server = realApiServer;
        client = server.admin();
        server.installCrd();
        namespace = server.createNamespace("crd");
    }

    @Test
    void crdFromTheCrdFolderIsEstablishedAsIs() throws Exception {
        CustomResourceDefinition file = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .load(RealApiServer.CRD.toFile())
                .item();

        CustomResourceDefinition stored = server.installCrd();

        assertThat(stored.getStatus().getConditions())
                .filteredOn(c -> List.of("Established", "NamesAccepted").contains(c.getType()))
                .extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactlyInAnyOrder("Established=True", "NamesAccepted=True");
        // The server fills in listKind (RunnerFleetList); everything else is the file's.
        assertThat(stored.getStatus().getAcceptedNames())
                .usingRecursiveComparison()
                .ignoringFields("listKind")
                .isEqualTo(file.getSpec().getNames());
        assertThat(stored.getSpec().getGroup()).isEqualTo(file.getSpec().getGroup());
        assertThat(stored.getSpec().getScope()).isEqualTo(file.getSpec().getScope());
        assertThat(stored.getSpec().getVersions()).hasSameSizeAs(file.getSpec().getVersions());
        for (int i = 0; i < file.getSpec().getVersions().size(); i++) {
            CustomResourceDefinitionVersion want = file.getSpec().getVersions().get(i);
            CustomResourceDefinitionVersion got = stored.getSpec().getVersions().get(i);
            assertThat(got.getName()).isEqualTo(want.getName());
            // Nothing of the schema was dropped or rewritten by the server (no structural-schema pruning).
            assertThat(got.getSchema()).isEqualTo(want.getSchema());
            assertThat(got.getSubresources()).isEqualTo(want.getSubresources());
            // The server omits priority 0 (its default, omitempty); the rest of each column is the file's.
            assertThat(got.getAdditionalPrinterColumns())
                    .usingRecursiveFieldByFieldElementComparatorIgnoringFields("priority")
                    .isEqualTo(want.getAdditionalPrinterColumns());
        }
    }

    @Test
    void openApiV3DocumentDescribesEveryPropertyOfSpecAndStatus() throws Exception {
        String path = "/openapi/v3/apis/" + RunnerFleet.GROUP + "/" + RunnerFleet.VERSION;
        String schemaName = "io.runnerfleet." + RunnerFleet.VERSION + "." + RunnerFleet.KIND;
        // The OpenAPI v3 controller publishes a new CRD asynchronously, a moment after Established.
        JsonNode document = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            String body = client.raw(path);
                            return body == null ? null : JSON.readTree(body);
                        },
                        d -> d != null && d.path("components").path("schemas").has(schemaName));
        JsonNode fleet = document.path("components").path("schemas").path(schemaName);

        List<String> described = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        for (String top : List.of("spec", "status")) {
            JsonNode schema = fleet.path("properties").path(top);
            assertThat(schema.isObject()).as(top).isTrue();
            (schema.path("description").asText("").isBlank() ? undescribed : described).add(top);
            properties(
                    top,
                    schema,
                    (property, propertySchema) -> (propertySchema
                                            .path("description")
                                            .asText("")
                                            .isBlank()
                                    ? undescribed
                                    : described)
                            .add(property));
        }

        assertThat(undescribed)
                .as("properties without a description in %s", path)
                .isEmpty();
        // The walk reached the whole schema: every property path of the CRD file is in the published document.
        assertThat(described).containsExactlyInAnyOrderElementsOf(propertyPaths(FleetLoader.loadSchema()));
        assertThat(described)
                .contains(
                        "spec.executor.dns.nameservers",
                        "spec.executor.dns.options[].name",
                        "status.conditions[].lastTransitionTime");
    }

    /** A write to /status changes only status; a write to the object changes only spec (and metadata). */
    @Test
    void statusSubresourceSeparatesStatusFromSpecAndGenerationCountsSpecChangesOnly() {
        GenericKubernetesResource created =
                generic().resource(generic("status-fleet", BadFleets.VALID)).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat((Object) created.get("status")).isNull();

        // A status write that also carries a changed spec: the spec change is dropped, generation stays.
        ObjectNode statusWrite = tree(generic().withName("status-fleet").get());
        statusWrite.set("status", status(1, "Ready"));
        ((ObjectNode) statusWrite.path("spec").path("managers")).put("replicas", 7);
        ObjectNode afterStatus = tree(generic().resource(object(statusWrite)).updateStatus());
        assertThat(afterStatus.path("spec").path("managers").path("replicas").asInt())
                .isEqualTo(3);
        assertThat(afterStatus.path("status")).isEqualTo(status(1, "Ready"));
        assertThat(afterStatus.path("metadata").path("generation").asLong()).isEqualTo(1L);

        // A spec write that also carries a changed status: the status change is dropped, generation counts the spec.
        ObjectNode specWrite = afterStatus.deepCopy();
        ((ObjectNode) specWrite.path("spec").path("managers")).put("replicas", 5);
        specWrite.set("status", status(99, "Degraded"));
        ObjectNode afterSpec = tree(generic().resource(object(specWrite)).update());
        assertThat(afterSpec.path("spec").path("managers").path("replicas").asInt())
                .isEqualTo(5);
        assertThat(afterSpec.path("status")).isEqualTo(status(1, "Ready"));
        assertThat(afterSpec.path("metadata").path("generation").asLong()).isEqualTo(2L);

        // Metadata-only and status-only writes leave generation alone.
        GenericKubernetesResource labelled = generic().withName("status-fleet").edit(f -> {
            f.getMetadata().setLabels(Map.of("team", "ci"));
            return f;
        });
        assertThat(labelled.getMetadata().getGeneration()).isEqualTo(2L);
        ObjectNode restatus = tree(labelled);
        restatus.set("status", status(2, "Progressing"));
        ObjectNode afterRestatus = tree(generic().resource(object(restatus)).updateStatus());
        assertThat(afterRestatus.path("metadata").path("generation").asLong()).isEqualTo(2L);
        assertThat(afterRestatus.path("status")).isEqualTo(status(2, "Progressing"));

        // The typed model reads what the server stored.
        RunnerFleet typed = client.resources(RunnerFleet.class)
                .inNamespace(namespace)
                .withName("status-fleet")
                .get();
        assertThat(typed.getSpec().managers().replicas()).isEqualTo(5);
        assertThat(typed.getStatus().observedGeneration()).isEqualTo(2L);
        assertThat(typed.getStatus().conditions())
                .extracting(FleetCondition::type)
                .containsExactly("Progressing");
    }

    /** render (FleetLoader) fills in the CRD's defaults offline; the server must end up with the same spec. */
    @ParameterizedTest
    @ValueSource(strings = {"../examples/seed-fleet.yaml", "src/test/resources/fleets/full-fleet.yaml", "VALID"})
    void serverDefaultsTheSpecExactlyAsRenderDoesOffline(String file) throws Exception {
        String yaml = file.equals("VALID") ? BadFleets.VALID : Files.readString(Path.of(file));
        RunnerFleet offline = new FleetLoader().load(file, yaml).get(0);

        // Post the file's own fields (not the offline-defaulted ones), so the server does its own defaulting.
        String name = "defaults-" + Integer.toHexString(file.hashCode());
        generic().resource(generic(name, onlyTheFleet(yaml))).create();
        RunnerFleet stored = client.resources(RunnerFleet.class)
                .inNamespace(namespace)
                .withName(name)
                .get();

        assertThat(stored.getSpec()).isEqualTo(offline.getSpec());
    }

    private static NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            generic() {
        return client.genericKubernetesResources(RunnerFleet.API_VERSION, RunnerFleet.KIND)
                .inNamespace(namespace);
    }

    private static GenericKubernetesResource generic(String name, String yaml) {
        GenericKubernetesResource fleet =
                client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        fleet.getMetadata().setNamespace(namespace);
        fleet.getMetadata().setName(name);
        return fleet;
    }

    private static ObjectNode tree(GenericKubernetesResource resource) {
        return JSON.valueToTree(resource);
    }

    private static GenericKubernetesResource object(ObjectNode tree) {
        return JSON.convertValue(tree, GenericKubernetesResource.class);
    }

    private static ObjectNode status(int observedGeneration, String condition) {
        ObjectNode status = JSON.createObjectNode()
                .put("observedGeneration", observedGeneration)
                .put("replicas", 3)
                .put("readyManagers", 0)
                .put("managers", "0/3");
        status.putArray("conditions")
                .addObject()
                .put("type", condition)
                .put("status", "True")
                .put("reason", "Test")
                .put("message", "set by a test")
                .put("lastTransitionTime", "2026-01-01T00:00:00Z")
                .put("observedGeneration", observedGeneration);
        return status;
    }

    /** Calls {@code visitor} with the path and schema of every property below {@code schema}, depth first. */
    private static void properties(String path, JsonNode schema, BiConsumer<String, JsonNode> visitor) {
        Iterator<Map.Entry<String, JsonNode>> properties =
                schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            String child = path + "." + property.getKey();
            visitor.accept(child, property.getValue());
            properties(child, property.getValue(), visitor);
        }
        // Array items and map values are not properties themselves; their properties are.
        if (schema.path("items").isObject()) {
            properties(path + "[]", schema.path("items"), visitor);
        }
        if (schema.path("additionalProperties").isObject()) {
            properties(path + "{}", schema.path("additionalProperties"), visitor);
        }
    }

    private static List<String> propertyPaths(JsonNode openApiV3Schema) {
        List<String> paths = new ArrayList<>();
        for (String top : List.of("spec", "status")) {
            paths.add(top);
            properties(top, openApiV3Schema.path("properties").path(top), (path, schema) -> paths.add(path));
        }
        return paths;
    }

    private static String onlyTheFleet(String yaml) {
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.contains("kind: RunnerFleet")) {
                return document;
            }
        }
        throw new AssertionError("no RunnerFleet document");
    }
}
