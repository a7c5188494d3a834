package io.runnerfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules must reject what the API server rejects, or the tests that rely on them prove nothing. */
class KubernetesRulesTest {

    static PodBuilder valid() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("job-1")
                .withNamespace("ci")
                .withLabels(Map.of("app.kubernetes.io/name", "x"))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewInitContainer()
                .withName("prepare")
                .withImage("helper")
                .endInitContainer()
                .addNewContainer()
                .withName("build")
                .withImage("alpine")
                .withNewResources()
                .addToLimits("cpu", new Quantity("2"))
                .addToRequests("cpu", new Quantity("500m"))
                .endResources()
                .endContainer()
                .endSpec();
    }

    @Test
    void aValidPodPasses() {
        assertThat(KubernetesRules.violations(valid().build())).isEmpty();
    }

    @Test
    void namesAndLabels() {
        assertThat(KubernetesRules.violations(
                        valid().editMetadata().withName("Job_1").endMetadata().build()))
                .anyMatch(v -> v.contains("metadata.name"));
        assertThat(KubernetesRules.violations(valid().editMetadata()
                        .addToLabels("k", "a".repeat(64))
                        .endMetadata()
                        .build()))
                .anyMatch(v -> v.contains("label value"));
        assertThat(KubernetesRules.violations(valid().editMetadata()
                        .addToLabels("bad key!", "v")
                        .endMetadata()
                        .build()))
                .anyMatch(v -> v.contains("qualified name"));
        assertThat(KubernetesRules.violations(valid().editMetadata()
                        .addToLabels("k", "-dash")
                        .endMetadata()
                        .build()))
                .isNotEmpty();
    }

    @Test
    void privilegedContainersMayNotForbidPrivilegeEscalation() {
        Pod pod = valid().editSpec()
                .editFirstContainer()
                .withNewSecurityContext()
                .withPrivileged(true)
                .withAllowPrivilegeEscalation(false)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(pod)).anyMatch(v -> v.contains("allowPrivilegeEscalation"));
        Pod privileged = valid().editSpec()
                .editFirstContainer()
                .withNewSecurityContext()
                .withPrivileged(true)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(privileged)).isEmpty();
    }

    @Test
    void containerNamesAreUniqueAcrossInitAndRegular() {
        Pod pod = valid().editSpec()
                .addNewContainer()
                .withName("prepare")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(pod)).anyMatch(v -> v.contains("used by another container"));
    }

    @Test
    void restartPolicyAlwaysOnlyOnInitContainers() {
        Pod regular = valid().editSpec()
                .editFirstContainer()
                .withRestartPolicy("Always")
                .endContainer()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(regular)).anyMatch(v -> v.contains("only init containers"));
        Pod probeWithoutSidecar = valid().editSpec()
                .editFirstInitContainer()
                .withNewStartupProbe()
                .withNewTcpSocket()
                .withNewPort(2375)
                .endTcpSocket()
                .endStartupProbe()
                .endInitContainer()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(probeWithoutSidecar)).anyMatch(v -> v.contains("sidecars"));
    }

    @Test
    void dnsLimits() {
        Pod fourNameservers = valid().editSpec()
                .withDnsPolicy("None")
                .withNewDnsConfig()
                .withNameservers("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4")
                .endDnsConfig()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(fourNameservers)).anyMatch(v -> v.contains("at most 3"));
        Pod manySearches = valid().editSpec()
                .withNewDnsConfig()
                .withSearches(Collections.nCopies(33, "svc.cluster.local"))
                .endDnsConfig()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(manySearches)).anyMatch(v -> v.contains("at most 32"));
        Pod noneWithoutServers =
                valid().editSpec().withDnsPolicy("None").endSpec().build();
        assertThat(KubernetesRules.violations(noneWithoutServers)).anyMatch(v -> v.contains("dnsPolicy None"));
    }

    @Test
    void quantitiesParseAndRequestsStayWithinLimits() {
        Pod badQuantity = valid().editSpec()
                .editFirstContainer()
                .editResources()
                .addToLimits("memory", new Quantity("2 GB"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(badQuantity)).anyMatch(v -> v.contains("is not a quantity"));
        Pod requestAboveLimit = valid().editSpec()
                .editFirstContainer()
                .editResources()
                .addToRequests("cpu", new Quantity("3"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(requestAboveLimit)).anyMatch(v -> v.contains("above its limit"));
    }

    @Test
    void mountsNeedVolumesAndSecretKeysHaveASyntax() {
        Pod missingVolume = valid().editSpec()
                .editFirstContainer()
                .addNewVolumeMount()
                .withName("builds")
                .withMountPath("/builds")
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(missingVolume)).anyMatch(v -> v.contains("not defined"));
        var secret = new SecretBuilder()
                .withNewMetadata()
                .withName("s")
                .endMetadata()
                .withStringData(Map.of("bad key", "v"))
                .build();
        assertThat(KubernetesRules.violations(secret)).anyMatch(v -> v.contains("not a valid key"));
    }

    @Test
    void deploymentsGetThePodRulesAndASelectorThatMatches() {
        var deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName("m")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "m")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "other")
                .endMetadata()
                .withNewSpec()
                .addToContainers(new ContainerBuilder()
                        .withName("Manager")
                        .withImage("x")
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        assertThat(KubernetesRules.violations(deployment))
                .anyMatch(v -> v.contains("does not match"))
                .anyMatch(v -> v.contains("DNS-1123 label"));
    }

    @Test
    void assertValidNamesEveryProblem() {
        assertThatThrownBy(() -> KubernetesRules.assertValid(
                        valid().editMetadata().withName("A").endMetadata().build()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Pod A: metadata.name");
    }
}
