package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** A Kubernetes toleration, limited to what gitlab-runner's {@code node_tolerations} can express. */
@ValidationRule(
        value = "!has(self.operator) || self.operator != 'Exists' || !has(self.value)",
        message = "a toleration with operator Exists takes no value")
public record Toleration(
        @JsonPropertyDescription(
                "Taint key the toleration applies to. Empty with operator Exists tolerates every taint.")
        String key,

        @JsonPropertyDescription("`Equal` (default when a value is given) or `Exists`.")
        TolerationOperator operator,

        @JsonPropertyDescription("Taint value to match with operator Equal.")
        String value,

        @JsonPropertyDescription("Taint effect to match: `NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty "
                + "matches every effect.")
        TaintEffect effect) {

    /** How a toleration matches a taint's value. */
    public enum TolerationOperator {
        Equal,
        Exists
    }

    /** The effect of a taint. */
    public enum TaintEffect {
        NoSchedule,
        PreferNoSchedule,
        NoExecute
    }
}
