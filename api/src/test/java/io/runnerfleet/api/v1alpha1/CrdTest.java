package io.runnerfleet.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrdTest {
    private static final String FILE = RunnerFleet.CRD_NAME + "-v1.yml";
    private static final Path COMMITTED = Path.of("..", "crd", FILE);

    private static String generated() throws IOException {
        try (InputStream in = CrdTest.class.getClassLoader().getResourceAsStream("META-INF/fabric8/" + FILE)) {
            assertThat(in).as("the build generates META-INF/fabric8/" + FILE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void committedCrdMatchesTheGeneratedOne() throws IOException {
        assertThat(Files.readString(COMMITTED))
                .as(
                        "crd/%s is out of date with api/. Refresh it with: "
                                + "./mvnw -B -q -pl api process-classes -Prefresh-crd",
                        FILE)
                .isEqualTo(generated());
    }

    @Test
    void conditionDescriptionsNameEveryTypeStatusAndReason() throws IOException {
        JsonNode status = new YAMLMapper()
                .readTree(generated())
                .path("spec")
                .path("versions")
                .get(0)
                .path("schema")
                .path("openAPIV3Schema")
                .path("properties")
                .path("status")
                .path("properties")
                .path("conditions");
        JsonNode condition = status.path("items").path("properties");
        for (FleetConditionType type : FleetConditionType.values()) {
            assertThat(status.path("description").asText()).contains("`" + type.value() + "`");
            assertThat(condition.path("type").path("description").asText()).contains("`" + type.value() + "`");
            assertThat(condition.path("reason").path("description").asText()).contains(type.value() + ":");
        }
        for (ConditionStatus value : ConditionStatus.values()) {
            assertThat(condition.path("status").path("description").asText()).contains("`" + value.value() + "`");
        }
        for (FleetConditionReason reason : FleetConditionReason.values()) {
            assertThat(condition.path("reason").path("description").asText()).contains("`" + reason.value() + "`");
        }
    }

    @Test
    void everySchemaPropertyHasADescription() throws IOException {
        JsonNode schema = new YAMLMapper()
                .readTree(generated())
                .path("spec")
                .path("versions")
                .get(0)
                .path("schema")
                .path("openAPIV3Schema");
        List<String> undescribed = new ArrayList<>();
        walk(schema.path("properties").path("spec"), "spec", undescribed);
        walk(schema.path("properties").path("status"), "status", undescribed);
        assertThat(undescribed)
                .as("properties without a description (kubectl explain shows nothing)")
                .isEmpty();
    }

    @Test
    void schemaCarriesTheKubernetesLimitsAndCrossFieldRules() throws IOException {
        JsonNode spec = new YAMLMapper()
                .readTree(generated())
                .path("spec")
                .path("versions")
                .get(0)
                .path("schema")
                .path("openAPIV3Schema")
                .path("properties")
                .path("spec")
                .path("properties");
        JsonNode dns = spec.path("executor").path("properties").path("dns");
        assertThat(dns.path("properties").path("nameservers").path("maxItems").asInt())
                .isEqualTo(3);
        assertThat(dns.path("properties").path("searches").path("maxItems").asInt())
                .isEqualTo(32);
        assertThat(dns.path("properties")
                        .path("nameservers")
                        .path("items")
                        .path("pattern")
                        .asText())
                .isEqualTo(Patterns.IP_ADDRESS);
        assertThat(dns.path("x-kubernetes-validations").get(0).path("rule").asText())
                .contains("nameservers");
        assertThat(spec.path("managers")
                        .path("properties")
                        .path("replicas")
                        .path("minimum")
                        .asInt())
                .isZero();
        assertThat(spec.path("executor")
                        .path("properties")
                        .path("build")
                        .path("properties")
                        .path("cpuLimit")
                        .path("pattern")
                        .asText())
                .isEqualTo(Patterns.QUANTITY);
    }

    private static void walk(JsonNode schema, String path, List<String> undescribed) {
        if (!schema.hasNonNull("description")
                || schema.path("description").asText().isBlank()) {
            undescribed.add(path);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        schema.path("properties").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            walk(property.getValue(), path + "." + property.getKey(), undescribed);
        }
        JsonNode items = schema.path("items");
        for (Iterator<Map.Entry<String, JsonNode>> it = items.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            walk(property.getValue(), path + "[]." + property.getKey(), undescribed);
        }
    }
}
