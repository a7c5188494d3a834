package io.runnerfleet.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutorSpecTest {

    @Test
    void aBuilderWithNothingSetBuildsTheDefaults() {
        ExecutorSpec defaults = ExecutorSpec.defaults();
        assertThat(defaults.pollTimeout()).isEqualTo(ExecutorSpec.DEFAULT_POLL_TIMEOUT);
        assertThat(defaults.sidecarMode()).isEqualTo(SidecarMode.NATIVE);
        assertThat(defaults.privileged()).isFalse();
        assertThat(defaults.pullPolicy()).isEmpty();
        assertThat(defaults.namespace()).isNull();
        assertThat(defaults.dind().inherit()).isTrue();
    }

    @Test
    void withNamespaceChangesOnlyTheNamespace() {
        ExecutorSpec spec = ExecutorSpec.builder()
                .namespace("ci")
                .image("alpine:3.20")
                .privileged(true)
                .pullPolicy(List.of(PullPolicy.ALWAYS))
                .imagePullSecrets(List.of("registry"))
                .pollTimeout(60)
                .sidecarMode(SidecarMode.CONTAINERS)
                .build();

        ExecutorSpec moved = spec.withNamespace("jobs");

        assertThat(moved.namespace()).isEqualTo("jobs");
        assertThat(moved.toBuilder().namespace("ci").build()).isEqualTo(spec);
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }
}
