package io.runnerfleet.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.validation.FleetLoader;
import io.runnerfleet.yaml.Yaml;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FleetObjectsTest {
    private static final OperatorDefaults DEFAULTS = new OperatorDefaults("runner-fleet:test");

    private static RunnerFleet fleet(String yamlReplacement, String replacement) throws Exception {
        String text = java.nio.file.Files.readString(Path.of("../examples/seed-fleet.yaml"));
        return new FleetLoader()
                .load("seed", text.replace(yamlReplacement, replacement))
                .get(0);
    }

    @Test
    void jobRoleGoesToTheExecutorNamespaceWithoutOwnerReferenceThere() throws Exception {
        RunnerFleet fleet = fleet("namespace: gitlab\n    image:", "namespace: ci-jobs\n    image:");
        fleet.getMetadata().setUid("0b3d6e2a-1111-2222-3333-444455556666");

        FleetObjects objects = FleetObjects.of(fleet, DEFAULTS);

        assertThat(objects.jobRole().getMetadata().getNamespace()).isEqualTo("ci-jobs");
        assertThat(objects.jobRoleBinding().getMetadata().getNamespace()).isEqualTo("ci-jobs");
        assertThat(objects.jobRole().getMetadata().getOwnerReferences()).isEmpty();
        assertThat(objects.jobRole().getMetadata().getLabels()).containsEntry(FleetLabels.FLEET, "build-fleet");
        assertThat(objects.jobRoleBinding().getSubjects().get(0).getNamespace()).isEqualTo("gitlab");
        for (HasMetadata object : objects.all()) {
            if (object.getMetadata().getNamespace().equals("gitlab")) {
                assertThat(object.getMetadata().getOwnerReferences())
                        .as(object.getKind())
                        .singleElement()
                        .satisfies(owner -> {
                            assertThat(owner.getUid())
                                    .isEqualTo(fleet.getMetadata().getUid());
                            assertThat(owner.getController()).isTrue();
                        });
            }
        }
    }

    @Test
    void configChangeChangesTheHashButScalingDoesNot() throws Exception {
        String base = hash(fleet("concurrent: 10", "concurrent: 10"));
        assertThat(hash(fleet("replicas: 3", "replicas: 5"))).isEqualTo(base);
        assertThat(hash(fleet("concurrent: 10", "concurrent: 12"))).isNotEqualTo(base);
        assertThat(hash(fleet("10.0.0.2,", "10.0.0.3,"))).isNotEqualTo(base);
    }

    @Test
    void rendersTheSameBytesEveryTime() throws Exception {
        RunnerFleet fleet = fleet("x", "x");
        String first =
                FleetObjects.of(fleet, DEFAULTS).all().stream().map(Yaml::write).reduce("", String::concat);
        String second =
                FleetObjects.of(fleet, DEFAULTS).all().stream().map(Yaml::write).reduce("", String::concat);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void managerPodsAndJobPodsAreToldApartByComponent() throws Exception {
        FleetObjects objects = FleetObjects.of(fleet("x", "x"), DEFAULTS);
        assertThat(objects.deployment().getSpec().getSelector().getMatchLabels())
                .containsEntry(FleetLabels.APP_COMPONENT, FleetLabels.COMPONENT_MANAGER)
                .containsEntry(FleetLabels.FLEET, "build-fleet");
        assertThat(objects.metricsService().getSpec().getSelector())
                .isEqualTo(objects.deployment().getSpec().getSelector().getMatchLabels());
    }

    @Test
    void aGitLabCaIsMountedIntoTheManagersAndNamedAsTlsCaFile() throws Exception {
        RunnerFleet fleet = fleet(
                "  gitlab:\n    url: http://gitlab.example.com/\n",
                "  gitlab:\n    url: http://gitlab.example.com/\n    tlsCa: {configMapName: gitlab-ca, key: ca.pem}\n");
        FleetObjects objects = FleetObjects.of(fleet, DEFAULTS);
        var pod = objects.deployment().getSpec().getTemplate().getSpec();
        var volume = pod.getVolumes().stream()
                .filter(v -> v.getConfigMap() != null
                        && "gitlab-ca".equals(v.getConfigMap().getName()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getConfigMap().getItems().get(0).getKey()).isEqualTo("ca.pem");
        assertThat(volume.getConfigMap().getItems().get(0).getPath()).isEqualTo("ca.crt");
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .anyMatch(m -> m.getMountPath().equals(FleetNames.TLS_CA_MOUNT_PATH));
        String toml = io.runnerfleet.config.ConfigTomlWriter.write(ManagerConfigBuilder.build(fleet));
        assertThat(toml).contains("tls-ca-file = \"" + FleetNames.TLS_CA_FILE + "\"");
        assertThat(io.runnerfleet.config.ConfigTomlReader.read("config.toml", toml)
                        .config()
                        .runners()
                        .get(0)
                        .tls()
                        .caFile())
                .isEqualTo(FleetNames.TLS_CA_FILE);
    }

    private static String hash(RunnerFleet fleet) {
        return FleetObjects.of(fleet, DEFAULTS)
                .deployment()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(FleetLabels.CONFIG_HASH);
    }
}
