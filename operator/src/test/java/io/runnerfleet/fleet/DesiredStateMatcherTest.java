package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.testing.Fleets;
import org.junit.jupiter.api.Test;

class DesiredStateMatcherTest {
    private final FleetObjects objects = FleetObjects.of(Fleets.seed("ci"), new OperatorDefaults("img:1"));

    @Test
    void serverDefaultsAndForeignLabelsAreNoDifference() {
        Deployment desired = objects.deployment();
        Deployment actual = new DeploymentBuilder(desired)
                .editMetadata()
                .addToLabels("team", "ci")
                .addToAnnotations("deployment.kubernetes.io/revision", "2")
                .withResourceVersion("42")
                .endMetadata()
                .editSpec()
                .withProgressDeadlineSeconds(600)
                .withRevisionHistoryLimit(10)
                .editTemplate()
                .editSpec()
                .withDnsPolicy("ClusterFirst")
                .withRestartPolicy("Always")
                .editFirstContainer()
                .withTerminationMessagePath("/dev/termination-log")
                .editReadinessProbe()
                .withTimeoutSeconds(1)
                .withSuccessThreshold(1)
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReplicas(3)
                .endStatus()
                .build();

        assertThat(DesiredStateMatcher.matches(desired, actual)).isTrue();
    }

    @Test
    void aChangedFieldTheBuilderSetsIsADifference() {
        Deployment desired = objects.deployment();
        Deployment scaled = new DeploymentBuilder(desired)
                .editSpec()
                .withReplicas(5)
                .endSpec()
                .build();
        Deployment rehashed = new DeploymentBuilder(desired)
                .editSpec()
                .editTemplate()
                .editMetadata()
                .addToAnnotations("runnerfleet.io/config-hash", "other")
                .endMetadata()
                .endTemplate()
                .endSpec()
                .build();

        assertThat(DesiredStateMatcher.matches(desired, scaled)).isFalse();
        assertThat(DesiredStateMatcher.matches(desired, rehashed)).isFalse();
    }

    @Test
    void anExtraListElementIsADifference() {
        Role desired = objects.jobRole();
        Role widened = new RoleBuilder(desired)
                .addNewRule()
                .withApiGroups("")
                .withResources("configmaps")
                .withVerbs("get")
                .endRule()
                .build();

        assertThat(DesiredStateMatcher.matches(desired, widened)).isFalse();
    }

    @Test
    void quantitiesCompareByAmount() {
        Deployment desired = new DeploymentBuilder(objects.deployment())
                .editSpec()
                .editTemplate()
                .editSpec()
                .editFirstContainer()
                .editResources()
                .addToRequests("cpu", new Quantity("500m"))
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        Deployment normalised = new DeploymentBuilder(desired)
                .editSpec()
                .editTemplate()
                .editSpec()
                .editFirstContainer()
                .editResources()
                .addToRequests("cpu", new Quantity("0.5"))
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();

        assertThat(DesiredStateMatcher.matches(desired, normalised)).isTrue();
    }
}
