package io.runnerfleet.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CelRuleChecksTest {
    @Test
    void everyCelRuleOfTheCrdHasAJavaTwin() {
        List<JsonNode> rules = new ArrayList<>();
        collect(FleetLoader.loadSchema(), rules);
        assertThat(rules).as("the CRD has CEL rules").isNotEmpty();
        CelRuleChecks checks = CelRuleChecks.forRunnerFleet();
        for (JsonNode rule : rules) {
            assertThat(checks.knows(rule.path("message").asText()))
                    .as(
                            "CEL rule %s needs a twin in CelRuleChecks (render must reject what the server rejects)",
                            rule.path("rule").asText())
                    .isTrue();
        }
    }

    @Test
    void anEmptyPullPolicyListIsTheSameAsNone() throws Exception {
        // The Java model writes [] for a list it was not given; the server must take such a fleet (it did not).
        ObjectMapper json = new ObjectMapper();
        JsonNode rule = json.readTree(
                "{\"message\":\"executor.pullPolicy must include at least one of " + "executor.allowedPullPolicies\"}");
        CelRuleChecks checks = CelRuleChecks.forRunnerFleet();
        assertThat(checks.holds(rule, json.readTree("{\"pullPolicy\":[\"always\"],\"allowedPullPolicies\":[]}")))
                .isTrue();
        assertThat(checks.holds(rule, json.readTree("{\"pullPolicy\":[],\"allowedPullPolicies\":[\"never\"]}")))
                .isTrue();
        assertThat(checks.holds(
                        rule, json.readTree("{\"pullPolicy\":[\"always\"]," + "\"allowedPullPolicies\":[\"never\"]}")))
                .isFalse();
    }

    private static void collect(JsonNode schema, List<JsonNode> rules) {
        if (schema.isMissingNode()) {
            return;
        }
        schema.path("x-kubernetes-validations").forEach(rules::add);
        schema.path("properties").forEach(child -> collect(child, rules));
        collect(schema.path("items"), rules);
    }
}
