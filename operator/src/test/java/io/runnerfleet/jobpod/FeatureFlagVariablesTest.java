package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.base.FeatureFlags;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every known {@code FF_*} reaches the job with its resolved value, first among its variables, as gitlab-runner's
 * {@code GetAllVariables} puts them; a job's {@code FF_*} variable counts only where the runner's config is silent.
 */
class FeatureFlagVariablesTest {
    private static final ExecutorSpec EXECUTOR =
            ExecutorSpec.builder().image("alpine").build();

    private static List<EnvVar> buildEnv(ObjectNode job, JobPodContext ctx) {
        Container build = TestJobs.build(job, ctx).pod().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("build"))
                .findFirst()
                .orElseThrow();
        return build.getEnv();
    }

    private static String value(List<EnvVar> env, String name) {
        List<EnvVar> matches =
                env.stream().filter(e -> e.getName().equals(name)).toList();
        assertThat(matches).as(name + " once").hasSize(1);
        return matches.get(0).getValue();
    }

    @Test
    void everyFlagIsExportedWithItsDefaultFirst() {
        List<EnvVar> env = buildEnv(TestJobs.minimal(), TestJobs.context(EXECUTOR));
        assertThat(env.subList(0, FeatureFlags.DEFAULTS.size()).stream()
                        .map(EnvVar::getName)
                        .toList())
                .isEqualTo(List.copyOf(FeatureFlags.DEFAULTS.keySet()));
        assertThat(value(env, "FF_TIMESTAMPS")).isEqualTo("true");
        assertThat(value(env, "FF_PRINT_POD_EVENTS")).isEqualTo("false");
    }

    @Test
    void aJobVariableSetsAFlagTheRunnerLeavesAndTheRunnersConfigWins() {
        ObjectNode job = TestJobs.minimal();
        TestJobs.variable(job, "FF_TIMESTAMPS", "false");
        TestJobs.variable(job, "FF_PRINT_POD_EVENTS", "true");
        TestJobs.variable(job, "FF_NOT_A_FLAG", "x");
        JobPodContext ctx = TestJobs.context(EXECUTOR)
                .withFeatureFlags(FeatureFlags.parse(Map.of("FF_PRINT_POD_EVENTS", false), "test", "flags"));
        List<EnvVar> env = buildEnv(job, ctx);
        assertThat(value(env, "FF_TIMESTAMPS")).isEqualTo("false");
        assertThat(value(env, "FF_PRINT_POD_EVENTS")).isEqualTo("false");
        assertThat(value(env, "FF_NOT_A_FLAG"))
                .as("an unknown name is a plain variable")
                .isEqualTo("x");

        FeatureFlags.Resolved resolved = JobPodBuilder.featureFlags(TestJobs.read(job), ctx);
        assertThat(resolved.isOn("FF_TIMESTAMPS")).isFalse();
        assertThat(resolved.isOn("FF_PRINT_POD_EVENTS")).isFalse();
    }

    @Test
    void theRunnersEnvironmentCountsAsAJobVariableForResolution() {
        JobPodContext ctx = new JobPodContext("fleet", "ci", EXECUTOR, List.of("FF_TIMESTAMPS=false"), null, null);
        assertThat(JobPodBuilder.featureFlags(TestJobs.read(TestJobs.minimal()), ctx)
                        .isOn("FF_TIMESTAMPS"))
                .isFalse();
    }
}
