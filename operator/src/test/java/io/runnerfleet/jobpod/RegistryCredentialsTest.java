package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.runnerfleet.gitlab.job.JobCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job's registry credentials as a pull Secret (gitlab-runner's setupCredentials and helpers/docker/auth). */
class RegistryCredentialsTest {
    static final String PASSWORD = "glcbt-64_RegistryPasswordValue1";

    static ObjectNode withCredentials(ObjectNode job, String url, String user, String password) {
        job.withArray("credentials")
                .addObject()
                .put("type", "registry")
                .put("url", url)
                .put("username", user)
                .put("password", password);
        return job;
    }

    static JsonNode auths(Secret secret) throws Exception {
        return new ObjectMapper()
                .readTree(secret.getStringData().get(".dockerconfigjson"))
                .path("auths");
    }

    @Test
    void jobCredentialsBecomeADockerConfigJsonSecretAfterTheFleetsPullSecrets() throws Exception {
        ObjectNode job = withCredentials(minimal(), "registry.example.com", "gitlab-ci-token", PASSWORD);
        job.withArray("credentials").addObject().put("type", "other").put("url", "x.example.com");
        JobPodResources resources = TestJobs.build(
                job, TestJobs.executor("image: alpine\nhelperImage: helper:1\nimagePullSecrets: [fleet-pull]"));

        Secret secret = resources.registrySecret().orElseThrow();
        assertThat(secret.getMetadata().getName()).isEqualTo("fleet-job-100-registry");
        assertThat(secret.getMetadata().getLabels())
                .isEqualTo(resources.secret().getMetadata().getLabels());
        assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        JsonNode auth = auths(secret).path("registry.example.com");
        assertThat(auth.path("username").asText()).isEqualTo("gitlab-ci-token");
        assertThat(auth.path("password").asText()).isEqualTo(PASSWORD);
        assertThat(new String(Base64.getDecoder().decode(auth.path("auth").asText()), StandardCharsets.UTF_8))
                .isEqualTo("gitlab-ci-token:" + PASSWORD);
        assertThat(auths(secret).has("x.example.com")).as("only type registry").isFalse();
        assertThat(resources.pod().getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName)
                .containsExactly("fleet-pull", "fleet-job-100-registry");
        assertThat(resources.secrets()).containsExactly(resources.secret(), secret);
        String redacted = SecretRedaction.redacted(secret).getStringData().get(".dockerconfigjson");
        assertThat(redacted)
                .as("still a docker config, naming the registry only")
                .isEqualTo(
                        "{\"auths\":{\"registry.example.com\":{\"username\":\"<redacted>\",\"password\":\"<redacted>\","
                                + "\"auth\":\"<redacted>\"}}}")
                .doesNotContain(PASSWORD, "gitlab-ci-token");
        assertThat(io.runnerfleet.yaml.Yaml.write(resources.pod())).doesNotContain(PASSWORD);
    }

    @Test
    void withoutCredentialsNoSecretAndOnlyTheFleetsPullSecrets() {
        JobPodResources resources = TestJobs.build(
                minimal(), TestJobs.executor("image: alpine\nhelperImage: helper:1\nimagePullSecrets: [fleet-pull]"));
        assertThat(resources.registrySecret()).isEmpty();
        assertThat(resources.pod().getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName)
                .containsExactly("fleet-pull");
    }

    @Test
    void dockerAuthConfigComesFirstAndWinsForTheSameRegistry() throws Exception {
        String own = Base64.getEncoder().encodeToString("me:mine-Passw0rd".getBytes(StandardCharsets.UTF_8));
        ObjectNode job = withCredentials(minimal(), "registry.example.com", "gitlab-ci-token", PASSWORD);
        variable(
                        job,
                        "DOCKER_AUTH_CONFIG",
                        "{\"auths\": {\"https://REGISTRY.example.com\": {\"auth\": \"" + own
                                + "\"}, \"docker.io\": {\"username\": \"hub\", \"password\": \"hub-Passw0rd\"}}}")
                .put("masked", true);
        Secret secret =
                TestJobs.build(job, JobPodBuilderTest.PLAIN).registrySecret().orElseThrow();
        JsonNode auths = auths(secret);
        assertThat(auths.has("registry.example.com"))
                .as("the job payload's loses to DOCKER_AUTH_CONFIG")
                .isFalse();
        assertThat(auths.path("https://REGISTRY.example.com").path("auth").asText())
                .isEqualTo(own);
        assertThat(auths.path("docker.io").path("username").asText()).isEqualTo("hub");
    }

    @Test
    void aDockerAuthConfigThatIsNotJsonIsIgnored() {
        assertThat(RegistryCredentials.of(Optional.of("not json"), List.of())).isEmpty();
        assertThat(RegistryCredentials.of(Optional.of("{\"credsStore\": \"desktop\"}"), List.of()))
                .isEmpty();
        assertThat(RegistryCredentials.of(Optional.empty(), List.of(new JobCredentials("registry", "", "u", "p"))))
                .as("no url, no entry")
                .isEmpty();
    }

    @Test
    void registryPathsAsGitlabRunnerComparesThem() {
        assertThat(RegistryCredentials.registryPath("https://index.docker.io/v1/"))
                .isEqualTo("docker.io");
        assertThat(RegistryCredentials.registryPath("HTTP://Registry.Example.com:5000/x"))
                .isEqualTo("registry.example.com:5000");
        assertThat(RegistryCredentials.registryPath("Registry.example.com/Group/app:tag"))
                .isEqualTo("registry.example.com/Group/app");
        assertThat(RegistryCredentials.registryPath("registry.example.com:5000"))
                .isEqualTo("registry.example.com:5000");
    }

    @Test
    void credentialsNeverPrintThemselves() {
        assertThat(new JobCredentials("registry", "r", "u", PASSWORD).toString())
                .doesNotContain(PASSWORD);
    }
}
