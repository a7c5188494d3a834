package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of "a Job Pod of the fleet's size fits now" ({@link PodSize}, {@link QuotaHeadroom}). */
class QuotaHeadroomTest {

    private static Container container(String name, String cpuRequest, String memoryRequest, String cpuLimit) {
        ContainerBuilder c =
                new ContainerBuilder().withName(name).withNewResources().endResources();
        if (cpuRequest != null) {
            c.editResources().addToRequests("cpu", new Quantity(cpuRequest)).endResources();
        }
        if (memoryRequest != null) {
            c.editResources()
                    .addToRequests("memory", new Quantity(memoryRequest))
                    .endResources();
        }
        if (cpuLimit != null) {
            c.editResources().addToLimits("cpu", new Quantity(cpuLimit)).endResources();
        }
        return c.build();
    }

    private static Container sidecar(String name, String cpuRequest) {
        return new ContainerBuilder(container(name, cpuRequest, null, null))
                .withRestartPolicy("Always")
                .build();
    }

    private static Pod pod(List<Container> init, List<Container> containers) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .withInitContainers(init)
                .withContainers(containers)
                .endSpec()
                .build();
    }

    private static ResourceQuota quota(Map<String, String> hard, Map<String, String> used) {
        ResourceQuotaBuilder b = new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("compute")
                .withNamespace("ci")
                .endMetadata()
                .withNewSpec()
                .endSpec();
        hard.forEach((k, v) -> b.editSpec().addToHard(k, new Quantity(v)).endSpec());
        if (!used.isEmpty()) {
            b.withNewStatus().endStatus();
            hard.forEach((k, v) -> b.editStatus().addToHard(k, new Quantity(v)).endStatus());
            used.forEach((k, v) -> b.editStatus().addToUsed(k, new Quantity(v)).endStatus());
        }
        return b.build();
    }

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    @Test
    void aPodCountsItsContainersAndSidecarsOrItsLargestInitContainerWhicheverIsMore() {
        Pod jobPod = pod(
                List.of(container("prepare", "250m", "64Mi", null), sidecar("docker", "1")),
                List.of(container("build", "500m", "1Gi", null), container("helper", "100m", "64Mi", null)));

        PodSize size = PodSize.of(jobPod);

        // 500m + 100m + the sidecar's 1 = 1.6 is more than prepare alone (250m, started before the sidecar).
        assertThat(size.amount("requests.cpu")).isEqualByComparingTo("1.6");
        assertThat(size.amount("requests.memory")).isEqualByComparingTo(dec("1140850688")); // 1Gi + 64Mi
        assertThat(size.amount("pods")).isEqualByComparingTo("1");

        Pod bigInit = pod(List.of(container("prepare", "4", null, null)), List.of(container("build", "1", null, null)));
        assertThat(PodSize.of(bigInit).amount("requests.cpu")).isEqualByComparingTo("4");
    }

    @Test
    void aLimitStandsInForAMissingRequestAndATerminatedPodCountsNothing() {
        Pod limitOnly = pod(List.of(), List.of(container("build", null, null, "2")));
        assertThat(PodSize.of(limitOnly).amount("requests.cpu")).isEqualByComparingTo("2");
        assertThat(PodSize.of(limitOnly).amount("limits.cpu")).isEqualByComparingTo("2");

        Pod done = new PodBuilder(limitOnly)
                .withNewStatus()
                .withPhase("Succeeded")
                .endStatus()
                .build();
        assertThat(PodSize.of(done).amount("requests.cpu")).isZero();
        assertThat(PodSize.of(done).amount("pods")).isZero();
    }

    @Test
    void aJobPodFitsWhileUsedPlusSeenPlusReservedPlusItStaysWithinEveryHardLimit() {
        PodSize jobPod = PodSize.of(pod(List.of(), List.of(container("build", "600m", "192Mi", null))));
        QuotaHeadroom headroom = QuotaHeadroom.of(quota(Map.of("requests.cpu", "2", "pods", "10"), Map.of()))
                .orElseThrow();

        assertThat(headroom.shortfall(PodSize.zero(), PodSize.zero(), jobPod)).isEmpty();
        PodSize three = jobPod.plus(jobPod).plus(jobPod);
        // 3 x 600m = 1.8 of 2: a fourth does not fit, seen or merely reserved.
        assertThat(headroom.shortfall(jobPod.plus(jobPod), jobPod, jobPod)).isPresent();
        assertThat(headroom.shortfall(three, PodSize.zero(), jobPod))
                .hasValue("ResourceQuota ci/compute: requests.cpu 1.8 of 2 in use, a Job Pod needs 0.6");
        assertThat(headroom.shortfall(jobPod.plus(jobPod), PodSize.zero(), jobPod))
                .isEmpty();
    }

    @Test
    void statusUsedCountsWhenItIsMoreThanTheManagerSeesForOtherPodsOfTheNamespaceAreInIt() {
        PodSize jobPod = PodSize.of(pod(List.of(), List.of(container("build", "1", "1Gi", null))));
        QuotaHeadroom headroom = QuotaHeadroom.of(
                        quota(Map.of("cpu", "8", "memory", "4Gi", "count/pods", "3"), Map.of("memory", "3584Mi")))
                .orElseThrow();

        // "memory" is requests.memory: 3.5Gi used by pods of others, the 1Gi Job Pod does not fit.
        assertThat(headroom.shortfall(PodSize.zero(), PodSize.zero(), jobPod))
                .hasValue("ResourceQuota ci/compute: requests.memory 3584Mi of 4096Mi in use, a Job Pod needs 1024Mi");
        // count/pods is pods: 2 seen + 1 reserved leave no room for a fourth pod.
        QuotaHeadroom pods =
                QuotaHeadroom.of(quota(Map.of("count/pods", "3"), Map.of())).orElseThrow();
        assertThat(pods.shortfall(jobPod.plus(jobPod), jobPod, jobPod))
                .hasValue("ResourceQuota ci/compute: pods 3 of 3 in use, a Job Pod needs 1");
    }

    @Test
    void limitsAreCheckedOnlyWhenTheJobPodSetsThemAndScopedOrUnrelatedQuotasAreLeftToTheApiServer() {
        PodSize noLimits = PodSize.of(pod(List.of(), List.of(container("build", "1", null, null))));
        QuotaHeadroom limits = QuotaHeadroom.of(quota(Map.of("limits.cpu", "0", "services", "0"), Map.of()))
                .orElseThrow();
        assertThat(limits.shortfall(PodSize.zero(), PodSize.zero(), noLimits)).isEmpty();
        PodSize withLimit = PodSize.of(pod(List.of(), List.of(container("build", "1", null, "2"))));
        assertThat(limits.shortfall(PodSize.zero(), PodSize.zero(), withLimit)).isPresent();

        ResourceQuota scoped = new ResourceQuotaBuilder(quota(Map.of("pods", "0"), Map.of()))
                .editSpec()
                .withScopes("BestEffort")
                .endSpec()
                .build();
        assertThat(QuotaHeadroom.of(scoped)).isEmpty();
    }
}
