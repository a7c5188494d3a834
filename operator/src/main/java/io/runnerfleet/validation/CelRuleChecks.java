package io.runnerfleet.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Java twins of the CRD's CEL rules ({@code x-kubernetes-validations}), keyed by the rule's message, so that
 * {@code render} rejects offline what the API server rejects. A rule without a twin fails loudly rather than
 * passing silently; a test checks every rule in the generated CRD has one.
 */
public final class CelRuleChecks {
    private final Map<String, Predicate<JsonNode>> checks = new LinkedHashMap<>();

    public static CelRuleChecks forRunnerFleet() {
        CelRuleChecks rules = new CelRuleChecks();
        rules.checks.put(
                "dns.policy None needs at least one entry in dns.nameservers",
                dns -> !"None".equals(dns.path("policy").asText())
                        || dns.path("nameservers").size() > 0);
        rules.checks.put(
                "a toleration with operator Exists takes no value",
                toleration -> !"Exists".equals(toleration.path("operator").asText()) || !toleration.has("value"));
        rules.checks.put(
                "name either secretName or configMapName, not both",
                ca -> ca.has("secretName") != ca.has("configMapName"));
        rules.checks.put("executor.pullPolicy must include at least one of executor.allowedPullPolicies", executor -> {
            if (!executor.has("allowedPullPolicies")
                    || !executor.has("pullPolicy")
                    || executor.get("allowedPullPolicies").isEmpty()
                    || executor.get("pullPolicy").isEmpty()) {
                return true;
            }
            for (JsonNode policy : executor.get("pullPolicy")) {
                for (JsonNode allowed : executor.get("allowedPullPolicies")) {
                    if (allowed.asText().equals(policy.asText())) {
                        return true;
                    }
                }
            }
            return false;
        });
        rules.checks.put(
                "pod-level resources take cpu and memory only (pod_cpu_limit, pod_memory_request, ...)", executor -> {
                    JsonNode pod = executor.path("pod");
                    return !pod.has("ephemeralStorageLimit")
                            && !pod.has("ephemeralStorageRequest")
                            && !pod.has("ephemeralStorageLimitOverwriteMaxAllowed")
                            && !pod.has("ephemeralStorageRequestOverwriteMaxAllowed");
                });
        return rules;
    }

    public boolean knows(String message) {
        return checks.containsKey(message);
    }

    boolean holds(JsonNode rule, JsonNode self) {
        String message = rule.path("message").asText();
        Predicate<JsonNode> check = checks.get(message);
        if (check == null) {
            throw new IllegalStateException(
                    "CEL rule without a Java twin: " + rule.path("rule").asText());
        }
        return check.test(self);
    }
}
