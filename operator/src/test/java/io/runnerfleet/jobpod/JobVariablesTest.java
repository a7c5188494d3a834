package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.service;
import static io.runnerfleet.jobpod.TestJobs.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The job's variables as gitlab-runner's {@code GetAllVariables} orders and expands them (common/build.go). */
class JobVariablesTest {
    static final JobPodContext.Runner RUNNER = new JobPodContext.Runner("abcdefghi", "9.9.9", "cafe", "linux/arm64");

    static Pod build(ObjectNode job, List<String> environment) {
        return build(job, environment, JobPodBuilderTest.PLAIN);
    }

    static Pod build(ObjectNode job, List<String> environment, io.runnerfleet.api.v1alpha1.ExecutorSpec executor) {
        JobPodContext ctx = new JobPodContext("fleet", "ci", executor, environment, null, null)
                .withRunner(RUNNER)
                .withSlot(new JobPodContext.Slot(4, 2));
        return TestJobs.build(job, ctx).pod();
    }

    /** The build container's literal env values, Kubernetes' $$ undone; secrets as "<secret>". */
    static Map<String, String> env(Pod pod, String container) {
        Container c = JobPodBuilderTest.container(pod, container);
        return c.getEnv().stream()
                .collect(Collectors.toMap(
                        EnvVar::getName,
                        e -> e.getValue() == null ? "<secret>" : e.getValue().replace("$$", "$"),
                        (a, b) -> b,
                        java.util.LinkedHashMap::new));
    }

    @Test
    void theJobsValueWinsOverTheRunnersEnvironment() {
        ObjectNode job = minimal();
        variable(job, "DOCKER_HOST", "tcp://docker:2375");
        Map<String, String> env =
                env(build(job, List.of("DOCKER_HOST=tcp://localhost:2375", "ONLY_RUNNER=r")), "build");
        assertThat(env).containsEntry("DOCKER_HOST", "tcp://docker:2375").containsEntry("ONLY_RUNNER", "r");
    }

    @Test
    void predefinedVariablesOfTheRunner() {
        Map<String, String> env = env(build(minimal(), List.of()), "build");
        assertThat(env)
                .containsEntry("CI_CONCURRENT_ID", "4")
                .containsEntry("CI_CONCURRENT_PROJECT_ID", "2")
                .containsEntry("CI_JOB_TIMEOUT", "600")
                .containsEntry("CI_RUNNER_SHORT_TOKEN", "abcdefghi")
                .containsEntry("CI_RUNNER_VERSION", "9.9.9")
                .containsEntry("CI_RUNNER_REVISION", "cafe")
                .containsEntry("CI_RUNNER_EXECUTABLE_ARCH", "linux/arm64")
                .containsEntry("CI_DISPOSABLE_ENVIRONMENT", "true")
                .containsEntry("CI_JOB_STATUS", "running")
                .containsEntry("CI_SERVER", "yes")
                .containsEntry("CI_PROJECT_DIR", "/builds/group/app");
    }

    @Test
    void theJobOverridesTheDefaultsButNotTheVersionVariables() {
        ObjectNode job = minimal();
        variable(job, "CI_CONCURRENT_ID", "77");
        variable(job, "CI_RUNNER_VERSION", "0.0.1");
        Map<String, String> env = env(build(job, List.of()), "build");
        assertThat(env).containsEntry("CI_CONCURRENT_ID", "77").containsEntry("CI_RUNNER_VERSION", "9.9.9");
    }

    @Test
    void valuesAreExpandedOnceAgainstTheValuesAsWritten() {
        ObjectNode job = minimal();
        variable(job, "CI_REGISTRY_IMAGE", "registry.example.com/group/app");
        variable(job, "CI_COMMIT_SHA", "0123abc");
        variable(job, "IMAGE_TAG", "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA");
        variable(job, "ONE", "$TWO");
        variable(job, "TWO", "$THREE");
        variable(job, "THREE", "3");
        variable(job, "MONEY", "$$5 ${UNKNOWN}x");
        variable(job, "RAW", "$CI_COMMIT_SHA").put("raw", true);
        Map<String, String> env = env(build(job, List.of("FROM_RUNNER=$CI_COMMIT_SHA-r")), "build");
        assertThat(env)
                .containsEntry("IMAGE_TAG", "registry.example.com/group/app:0123abc")
                .containsEntry("ONE", "$THREE")
                .containsEntry("TWO", "3")
                .containsEntry("MONEY", "$5 x")
                .containsEntry("RAW", "$CI_COMMIT_SHA")
                .containsEntry("FROM_RUNNER", "0123abc-r");
    }

    @Test
    void aReferenceToAFileVariableIsItsPathAndAPublicValueEmbeddingASecretBecomesSecret() {
        ObjectNode job = minimal();
        variable(job, "KUBECONFIG_FILE", "apiVersion: v1").put("file", true).put("public", false);
        variable(job, "KUBECONFIG", "${KUBECONFIG_FILE}");
        variable(job, "PASSWORD", "s3cr3t-password").put("masked", true);
        variable(job, "DSN", "postgres://u:$PASSWORD@db/app");
        Map<String, String> env = env(build(job, List.of()), "build");
        assertThat(env)
                .containsEntry("KUBECONFIG", JobPaths.FILES_DIR + "/KUBECONFIG_FILE")
                .containsEntry("KUBECONFIG_FILE", JobPaths.FILES_DIR + "/KUBECONFIG_FILE")
                .containsEntry("DSN", "<secret>");
    }

    @Test
    void aValueThatTookASecretsValueIsSecretHoweverShortTheSecret() {
        ObjectNode job = minimal();
        variable(job, "PIN", "1234").put("public", false);
        variable(job, "LOGIN", "user:$PIN");
        variable(job, "NOTHING_SECRET", "user:$UNKNOWN");
        Map<String, String> env = env(build(job, List.of()), "build");
        assertThat(env).containsEntry("LOGIN", "<secret>").containsEntry("NOTHING_SECRET", "user:");
        assertThat(io.runnerfleet.yaml.Yaml.write(build(job, List.of()))).doesNotContain("user:1234");
    }

    @Test
    void imagesServiceNamesAndAliasesAreExpanded() {
        ObjectNode job = minimal();
        variable(job, "CI_REGISTRY_IMAGE", "registry.example.com/group/app");
        variable(job, "SVC_ALIAS", "db");
        job.putObject("image").put("name", "$CI_REGISTRY_IMAGE/builder:latest");
        service(job, "${CI_REGISTRY_IMAGE}/postgres:16", "$SVC_ALIAS");
        Pod pod = build(job, List.of());
        assertThat(JobPodBuilderTest.container(pod, "build").getImage())
                .isEqualTo("registry.example.com/group/app/builder:latest");
        Container db = JobPodBuilderTest.container(pod, "db");
        assertThat(db.getImage()).isEqualTo("registry.example.com/group/app/postgres:16");
        assertThat(pod.getSpec().getHostAliases().get(0).getHostnames()).contains("db");
        // CI_JOB_IMAGE is the name as the job wrote it, expanded like any variable.
        assertThat(env(pod, "build")).containsEntry("CI_JOB_IMAGE", "registry.example.com/group/app/builder:latest");
    }

    @Test
    void labelsAnnotationsVolumesAndCacheKeysAreExpanded() {
        ObjectNode job = minimal();
        variable(job, "TEAM", "payments");
        job.putArray("cache")
                .addObject()
                .put("key", "deps-$TEAM")
                .putArray("paths")
                .add("vendor/");
        io.runnerfleet.api.v1alpha1.ExecutorSpec executor = TestJobs.executor("""
                image: alpine:3.20
                helperImage: helper:1
                podLabels: {team: "$TEAM"}
                podAnnotations: {owner: "team-${TEAM}"}
                volumes:
                  emptyDir:
                    - name: scratch
                      mountPath: /scratch/$TEAM
                """);
        Pod pod = build(job, List.of(), executor);
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("owner", "team-payments");
        assertThat(JobPodBuilderTest.container(pod, "build").getVolumeMounts())
                .anyMatch(m -> m.getMountPath().equals("/scratch/payments"));
        assertThat(JobPodBuilderTest.container(pod, "prepare").getCommand().get(2))
                .contains("deps-payments");
    }
}
