package io.runnerfleet.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.runnerfleet.base.FieldProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
    private final SchemaValidator validator =
            new SchemaValidator(FleetLoader.loadSchema(), CelRuleChecks.forRunnerFleet());

    private List<FieldProblem> validate(String specYaml) throws Exception {
        JsonNode spec = new YAMLMapper().readTree(specYaml);
        return validator.validate(spec, "spec");
    }

    @Test
    void appliesSchemaDefaultsWhereTheParentExists() throws Exception {
        JsonNode spec = new YAMLMapper().readTree("""
                gitlab: {url: https://gitlab.example.com/, tokenSecretRef: {name: t}}
                managers: {}
                """);
        assertThat(validator.validate(spec, "spec")).isEmpty();
        assertThat(spec.path("managers").path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.path("managers").path("concurrent").asInt()).isEqualTo(10);
        assertThat(spec.path("managers").path("checkInterval").asText()).isEqualTo("3s");
        assertThat(spec.path("gitlab").path("tokenSecretRef").path("key").asText())
                .isEqualTo("token");
        assertThat(spec.has("executor"))
                .as("no default for an absent parent, as the API server does")
                .isFalse();
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() throws Exception {
        List<FieldProblem> problems = validate("""
                gitlab: {url: ftp://x, tokenSecretRef: {name: t}}
                managers: {replicas: -1, concurrent: 0}
                """);
        assertThat(problems)
                .extracting(FieldProblem::path)
                .containsExactly("spec.gitlab.url", "spec.managers.replicas", "spec.managers.concurrent");
    }

    @Test
    void freeFormAffinityAcceptsAnything() throws Exception {
        assertThat(validate("""
                gitlab: {url: https://g/, tokenSecretRef: {name: t}}
                executor:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: [b]}]}]
                """)).isEmpty();
    }

    @Test
    void suggestsTheClosestKnownField() {
        assertThat(SchemaValidator.editDistance("replica", "replicas")).isEqualTo(1);
    }
}
