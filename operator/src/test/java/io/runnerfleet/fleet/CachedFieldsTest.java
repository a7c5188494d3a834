package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachedFieldsTest {
    @Test
    void secretsKeepTheirKeysButNoValueAndNoLastAppliedCopy() {
        CachedFields<Secret> store = new CachedFields<>();
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName("gitlab-runner")
                .withNamespace("ci")
                .withManagedFields(
                        new ManagedFieldsEntryBuilder().withManager("kubectl").build())
                .withAnnotations(
                        Map.of(CachedFields.LAST_APPLIED, "{\"data\":{\"token\":\"Z2xydC0xMjM=\"}}", "team", "a"))
                .endMetadata()
                .withData(Map.of("token", "Z2xydC0xMjM="))
                .withStringData(Map.of("extra", "plain"))
                .build();

        store.put(store.getKey(secret), secret);

        Secret cached = store.get("ci/gitlab-runner");
        assertThat(cached.getData()).containsExactly(Map.entry("token", ""));
        assertThat(cached.getStringData()).containsExactly(Map.entry("extra", ""));
        assertThat(cached.getMetadata().getAnnotations()).containsExactly(Map.entry("team", "a"));
        assertThat(cached.getMetadata().getManagedFields()).isNull();
        assertThat(TokenSecretCheck.of(
                                cached, "ci", new io.runnerfleet.api.v1alpha1.SecretKeyRef("gitlab-runner", "token"))
                        .found())
                .isTrue();
    }

    @Test
    void podsKeepMetadataAndPhaseOnly() {
        CachedFields<Pod> store = new CachedFields<>();
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("runner-1")
                .withNamespace("ci")
                .withLabels(Map.of("runnerfleet.io/job-id", "7"))
                .withManagedFields(
                        new ManagedFieldsEntryBuilder().withManager("manager").build())
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("build")
                .withImage("alpine")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withHostIP("10.0.0.1")
                .endStatus()
                .build();

        store.put(store.getKey(pod), pod);

        Pod cached = store.get("ci/runner-1");
        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getStatus().getPhase()).isEqualTo("Running");
        assertThat(cached.getStatus().getHostIP()).isNull();
        assertThat(cached.getMetadata().getLabels()).containsEntry("runnerfleet.io/job-id", "7");
        assertThat(cached.getMetadata().getManagedFields()).isNull();
    }

    /** JOSDK hands one item store to every per-namespace informer, which would drop each other's objects. */
    @Test
    void onlyASingleInformerGetsATrimmedStoreOfItsOwn() {
        assertThat(CachedFields.oneInformerFor(Constants.WATCH_ALL_NAMESPACE_SET))
                .isTrue();
        assertThat(CachedFields.oneInformerFor(Set.of("ci"))).isTrue();
        assertThat(CachedFields.oneInformerFor(Set.of("ci", "cd"))).isFalse();
        assertThat(CachedFields.oneInformerFor(Constants.SAME_AS_CONTROLLER_NAMESPACES_SET))
                .isFalse();
        assertThat(CachedFields.oneInformerFor(null)).isFalse();
    }

    @Test
    void writtenKindsLoseOnlyManagedFields() {
        CachedFields<Deployment> store = new CachedFields<>();
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName("shop-manager")
                .withNamespace("ci")
                .withAnnotations(Map.of(CachedFields.LAST_APPLIED, "{}"))
                .withManagedFields(new ManagedFieldsEntryBuilder()
                        .withManager("runner-fleet")
                        .build())
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .endSpec()
                .build();

        store.put(store.getKey(deployment), deployment);

        Deployment cached = store.get("ci/shop-manager");
        assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
        // An update built from the cache would otherwise remove the annotation from the object.
        assertThat(cached.getMetadata().getAnnotations()).containsKey(CachedFields.LAST_APPLIED);
        assertThat(cached.getMetadata().getManagedFields()).isNull();
    }
}
