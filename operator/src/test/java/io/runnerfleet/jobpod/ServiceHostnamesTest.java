package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** gitlab-runner's host-name rules (docs/job-pod.md, "Service names"). */
class ServiceHostnamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "postgres:16|postgres",
                "docker:dind|docker",
                "bitnami/redis:7|bitnami-redis",
                "registry.example.com/docker:dind|registry.example.com-docker",
                "registry.example.com:5000/group/docker:27-dind|registry.example.com-group-docker",
                "mysql@sha256:0123abcd|mysql",
                "localhost:5000/redis|localhost-redis",
            })
    void imageDerivedNames(String image, String expected) {
        assertThat(ServiceHostnames.of(image, List.of())).containsExactly(expected);
    }

    @Test
    void aRegistryPathWithoutAliasDoesNotGiveDocker() {
        assertThat(ServiceHostnames.of("registry.example.com/docker:dind", List.of()))
                .doesNotContain("docker", "registry.example.com__docker");
    }

    @Test
    void aliasesFollowTheDerivedNames() {
        assertThat(ServiceHostnames.of("registry.example.com/docker:dind", List.of("docker", "dind.local")))
                .containsExactly("registry.example.com-docker", "docker", "dind.local");
    }

    @Test
    void severalAliasesSplitOnSpacesAndCommas() {
        var image = new io.runnerfleet.gitlab.job.JobImage("postgres:16", "db, pg  database", null, null, null, null);
        assertThat(image.aliases()).containsExactly("db", "pg", "database");
    }

    @Test
    void invalidDerivedNamesAreDroppedNotErrors() {
        assertThat(ServiceHostnames.of("Registry.Example.com/My_Image:1", List.of()))
                .isEmpty();
    }

    @Test
    void invalidAliasesAreErrorsThatShowTheAliasSafely() {
        assertThatThrownBy(() -> ServiceHostnames.of("postgres:16", List.of("db_1")))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("\"db_1\"");
        assertThatThrownBy(() -> ServiceHostnames.of("postgres:16", List.of("db\nINJECTED")))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("db\\u000aINJECTED");
        assertThatThrownBy(() -> ServiceHostnames.of("postgres:16", List.of("a".repeat(64))))
                .isInstanceOf(JobPodException.class);
    }
}
