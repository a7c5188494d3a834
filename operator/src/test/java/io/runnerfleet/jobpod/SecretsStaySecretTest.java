package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.TestJobs.TOKEN;
import static io.runnerfleet.jobpod.TestJobs.build;
import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.service;
import static io.runnerfleet.jobpod.TestJobs.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.yaml.Yaml;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The job token, masked, internal and file variables live only in the per-job Secret. */
class SecretsStaySecretTest {
    static final String MASKED = "m4sked-Value-0f-DB";
    static final String INTERNAL = "internal-Value-9876";
    static final String FILE = "-----BEGIN KEY----- file-Content-1234";

    static ObjectNode jobWithSecrets() {
        ObjectNode job = minimal();
        variable(job, "CI_JOB_TOKEN", TOKEN).put("public", false).put("masked", true);
        variable(job, "DB_PASSWORD", MASKED).put("masked", true);
        variable(job, "DEPLOY_KEY", INTERNAL).put("public", false);
        variable(job, "SSH_KEY_FILE", FILE).put("file", true).put("public", false);
        variable(job, "CI_REPOSITORY_URL", "https://gitlab-ci-token:" + TOKEN + "@gitlab.example.com/g/a.git")
                .put("public", false);
        variable(job, "DATABASE_URL", "postgres://app:" + MASKED + "@db/app");
        variable(job, "VISIBLE", "plain-value");
        service(job, "postgres:16", "db");
        return job;
    }

    @Test
    void noSecretValueAppearsAnywhereInThePodSpec() {
        JobPodResources resources = build(jobWithSecrets(), JobPodBuilderTest.PLAIN);
        String pod = Yaml.write(resources.pod());
        for (String secret : List.of(TOKEN, MASKED, INTERNAL, FILE, "file-Content")) {
            assertThat(pod).doesNotContain(secret);
        }
        assertThat(pod).contains("plain-value");
        Secret secret = resources.secret();
        assertThat(secret.getStringData()).containsValues(TOKEN, MASKED, INTERNAL, FILE);
        // git gets the token from CI_JOB_TOKEN through url.*.insteadOf, so no token-bearing URL is kept.
        assertThat(secret.getStringData()).doesNotContainKey("repo-url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-build", "kubectl-deploy", "mysql-redis-test"})
    void examplesKeepTheirTokenAndSecretsOutOfThePod(String example) {
        var job = JobPayloadReader.read(Examples.path("jobs/" + example + ".json"));
        JobPodResources resources = JobPodBuilder.build(job, JobPodContext.forFleet(TestJobs.seedFleet()));
        io.runnerfleet.testing.KubernetesRules.assertValid(resources.pod(), resources.secret());
        String pod = Yaml.write(resources.pod());
        assertThat(pod).doesNotContain(job.token());
        job.variables().stream()
                .filter(v -> v.isSecret() && v.value().length() >= 8)
                .forEach(v -> assertThat(pod).as(v.key()).doesNotContain(v.value()));
        assertThat(Yaml.write(SecretRedaction.redacted(resources.secret())))
                .doesNotContain(job.token())
                .contains(SecretRedaction.REDACTED);
    }

    @Test
    void secretsReachContainersBySecretKeyRef() {
        Pod pod = build(jobWithSecrets(), JobPodBuilderTest.PLAIN).pod();
        Container build = JobPodBuilderTest.container(pod, "build");
        EnvVar password = build.getEnv().stream()
                .filter(e -> e.getName().equals("DB_PASSWORD"))
                .findFirst()
                .orElseThrow();
        assertThat(password.getValue()).isNull();
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("fleet-job-100");
        EnvVar token = JobPodBuilderTest.container(pod, "helper").getEnv().stream()
                .filter(e -> e.getName().equals("CI_JOB_TOKEN"))
                .findFirst()
                .orElseThrow();
        assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("job-token");
        assertThat(JobPodBuilderTest.container(pod, "prepare").getEnv())
                .anyMatch(e -> e.getName().equals("CI_JOB_TOKEN") && e.getValueFrom() != null);
    }

    @Test
    void fileVariablesAreFilesFromTheSecretAndTheVariableHoldsThePath() {
        Pod pod = build(jobWithSecrets(), JobPodBuilderTest.PLAIN).pod();
        Container build = JobPodBuilderTest.container(pod, "build");
        assertThat(build.getEnv())
                .anyMatch(e -> e.getName().equals("SSH_KEY_FILE")
                        && e.getValue().equals(JobPaths.FILES_DIR + "/SSH_KEY_FILE"));
        assertThat(build.getVolumeMounts())
                .anyMatch(m -> m.getMountPath().equals(JobPaths.FILES_DIR) && m.getReadOnly());
        assertThat(pod.getSpec().getVolumes())
                .anyMatch(v -> v.getSecret() != null
                        && v.getSecret().getItems().stream()
                                .anyMatch(i -> i.getPath().equals("SSH_KEY_FILE")));
        // Services get neither file nor internal variables, as with gitlab-runner.
        assertThat(JobPodBuilderTest.container(pod, "db").getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain("SSH_KEY_FILE", "DEPLOY_KEY", "CI_REPOSITORY_URL");
    }

    @Test
    void aPublicValueThatEmbedsASecretIsTreatedAsSecret() {
        Pod pod = build(jobWithSecrets(), JobPodBuilderTest.PLAIN).pod();
        EnvVar url = JobPodBuilderTest.container(pod, "build").getEnv().stream()
                .filter(e -> e.getName().equals("DATABASE_URL"))
                .findFirst()
                .orElseThrow();
        assertThat(url.getValueFrom()).isNotNull();
    }

    @Test
    void dollarSignsLeftAfterExpansionStayLiteralForKubernetes() {
        ObjectNode job = minimal();
        // $CI_PROJECT_DIR is gitlab-runner's expansion; $(HOME) is not a name to it, and Kubernetes must not see it.
        variable(job, "PIP_CACHE_DIR", "$CI_PROJECT_DIR/.cache $(HOME) $$HOME");
        variable(job, "RAW", "$CI_PROJECT_DIR $(HOME)").put("raw", true);
        List<EnvVar> env = JobPodBuilderTest.container(
                        build(job, JobPodBuilderTest.PLAIN).pod(), "build")
                .getEnv();
        assertThat(env.stream()
                        .filter(e -> e.getName().equals("PIP_CACHE_DIR"))
                        .findFirst()
                        .orElseThrow()
                        .getValue())
                .isEqualTo("/builds/group/app/.cache $$(HOME) $$HOME");
        assertThat(env.stream()
                        .filter(e -> e.getName().equals("RAW"))
                        .findFirst()
                        .orElseThrow()
                        .getValue())
                .isEqualTo("$$CI_PROJECT_DIR $$(HOME)");
    }

    @Test
    void errorsNeverQuoteASecretValue() {
        ObjectNode job = minimal();
        variable(job, "KUBERNETES_CPU_LIMIT", "s3cret-but-masked").put("masked", true);
        assertThatThrownBy(() -> build(job, TestJobs.executor("image: a\nbuild: {cpuLimitOverwriteMaxAllowed: '2'}")))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("KUBERNETES_CPU_LIMIT")
                .hasMessageNotContaining("s3cret");
        assertThat(TestJobs.read(jobWithSecrets()).toString()).doesNotContain(TOKEN);
    }

    @Test
    void aVariableNameThatIsNoEnvironmentNameIsRefused() {
        ObjectNode job = minimal();
        variable(job, "BAD-NAME; touch /tmp/x", "1");
        assertThatThrownBy(() -> build(job, JobPodBuilderTest.PLAIN))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("not a valid environment variable name");
    }
}
