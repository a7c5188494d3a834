package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.api.v1alpha1.ContainerSecurityContextSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.PodSecurityContextSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code image: kubernetes: user} as gitlab-runner's getContainerUIDGID and KubernetesConfig.IsUserAllowed decide. */
class ImageUserTest {
    private static final ExecutorSpec OPEN = ExecutorSpec.defaults();

    private static ContainerSecurityContextSpec runAs(Long user, Long group) {
        return new ContainerSecurityContextSpec(null, null, user, group, null, null, null, null, null, null, null);
    }

    @Test
    void userAndGroupBecomeRunAsUserAndRunAsGroup() {
        ImageUser user = ImageUser.resolve("1000:2000", "build", null, OPEN);
        assertThat(user.runAsUser()).isEqualTo(1000L);
        assertThat(user.runAsGroup()).isEqualTo(2000L);
        assertThat(user.warnings()).isEmpty();
        assertThat(user.notes()).isEmpty();
    }

    @Test
    void aUserAloneLeavesTheGroupAsConfigured() {
        ImageUser user = ImageUser.resolve("1000", "build", null, OPEN);
        assertThat(user.runAsUser()).isEqualTo(1000L);
        assertThat(user.runAsGroup()).isNull();
    }

    @Test
    void rootNeedsToBeListedEvenWhenNothingIsListed() {
        ImageUser user = ImageUser.resolve("0:0", "build", null, OPEN);
        assertThat(user.runAsUser()).isNull();
        assertThat(user.runAsGroup()).isNull();
        assertThat(user.warnings())
                .containsExactly(
                        "Error parsing 'uid' from image options for container \"build\", using the configured security "
                                + "context: validating UID: user \"0\" is not in the allowed list: []",
                        "Error parsing 'gid' from image options for container \"build\", using the configured security "
                                + "context: validating GID: group \"0\" is not in the allowed list: []");

        ExecutorSpec rootAllowed = ExecutorSpec.builder()
                .allowedUsers(List.of("00"))
                .allowedGroups(List.of("0"))
                .build();
        assertThat(ImageUser.resolve("0:0", "build", null, rootAllowed).runAsUser())
                .isZero();
    }

    @Test
    void anIdOutsideTheAllowListIsNotUsedAndSaysSo() {
        ExecutorSpec listed = ExecutorSpec.builder()
                .allowedUsers(List.of("1000", "1001"))
                .allowedGroups(List.of("1000"))
                .build();
        ImageUser user = ImageUser.resolve("1002:1000", "svc-0", null, listed);
        assertThat(user.runAsUser()).isNull();
        assertThat(user.runAsGroup()).isEqualTo(1000L);
        assertThat(user.warnings())
                .containsExactly("Error parsing 'uid' from image options for container \"svc-0\", using the configured "
                        + "security context: validating UID: user \"1002\" is not in the allowed list: [1000 1001]");
    }

    @Test
    void aNameOrANegativeIdIsNotUsed() {
        assertThat(ImageUser.resolve("nobody", "build", null, OPEN).warnings())
                .singleElement()
                .asString()
                .endsWith("failed to parse UID: strconv.ParseInt: parsing \"nobody\": invalid syntax");
        assertThat(ImageUser.resolve("-5", "build", null, OPEN).warnings())
                .singleElement()
                .asString()
                .endsWith("failed to parse UID: negative values not allowed");
    }

    @Test
    void theFleetsContainerOrPodContextWinsAndTheJobIsTold() {
        ImageUser container = ImageUser.resolve("1000:1000", "build", runAs(2000L, null), OPEN);
        assertThat(container.runAsUser()).isNull();
        assertThat(container.runAsGroup()).isEqualTo(1000L);
        assertThat(container.notes())
                .containsExactly("Overriding user for container \"build\" to \"1000\" is not allowed: user is set to "
                        + "2000 in container security context");

        ExecutorSpec podGroup = ExecutorSpec.builder()
                .podSecurityContext(new PodSecurityContextSpec(null, 3000L, null, null, null, null, null))
                .build();
        ImageUser pod = ImageUser.resolve("1000:1000", "build", null, podGroup);
        assertThat(pod.runAsUser()).isEqualTo(1000L);
        assertThat(pod.runAsGroup()).isNull();
        assertThat(pod.notes())
                .containsExactly("Overriding group for container \"build\" to \"1000\" is not allowed: group is set to "
                        + "3000 in pod security context");
    }

    @Test
    void noUserChangesNothing() {
        assertThat(ImageUser.resolve(null, "build", runAs(5L, 5L), OPEN)).isEqualTo(ImageUser.none());
    }
}
