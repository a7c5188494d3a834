package io.runnerfleet.desired;

import io.runnerfleet.api.v1alpha1.DisruptionSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.GitLabSpec;
import io.runnerfleet.api.v1alpha1.ManagersSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.RunnerSpec;
import io.runnerfleet.base.ExecutorNamespace;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.config.FleetIdentity;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.config.RunnerSources;
import io.runnerfleet.config.RunnerTls;
import io.runnerfleet.config.TokenRotation;
import java.util.List;

/** RunnerFleet → the managers' config.toml model (no token: that stays in the Secret). Pure. */
public final class ManagerConfigBuilder {
    private ManagerConfigBuilder() {}

    public static ManagerConfig build(RunnerFleet fleet) {
        ManagersSpec managers = fleet.getSpec().managers();
        RunnerSpec runner = fleet.getSpec().runner();
        String name = runner.name() == null ? fleet.getMetadata().getName() : runner.name();
        ExecutorSpec executor = fleet.getSpec().executor().withNamespace(ExecutorNamespace.of(fleet)).toBuilder()
                .disruption(managersDisruption(fleet.getSpec().executor()))
                .build();
        RunnerEntry entry = new RunnerEntry(
                name,
                fleet.getSpec().gitlab().url(),
                RunnerEntry.KUBERNETES_EXECUTOR,
                runner.limit(),
                runner.requestConcurrency(),
                runner.outputLimit(),
                runner.environment(),
                executor,
                new FleetIdentity(
                        fleet.getMetadata().getName(), fleet.getMetadata().getNamespace()),
                new RunnerEntry.Unhealthy(
                        runner.unhealthyRequestsLimit(),
                        runner.unhealthyInterval() == null
                                ? null
                                : GoDurations.toWholeSeconds(runner.unhealthyInterval())),
                FeatureFlags.parse(runner.featureFlags(), "fleet", "spec.runner.featureFlags"),
                new RunnerSources(
                        runner.cloneUrl(),
                        // Written only when off: gitlab-runner's Kubernetes executor has it on by default.
                        runner.customBuildDir() ? null : Boolean.FALSE,
                        runner.preGetSourcesScript(),
                        runner.postGetSourcesScript(),
                        runner.preBuildScript(),
                        runner.postBuildScript()),
                fleet.getSpec().gitlab().tlsCa() == null
                        ? RunnerTls.NONE
                        : new RunnerTls(FleetNames.TLS_CA_FILE, null, null),
                runner.cache(),
                tokenRotation(fleet.getSpec().gitlab()));
        return new ManagerConfig(
                managers.concurrent(),
                GoDurations.toWholeSeconds(managers.checkInterval()),
                ManagerConfig.DEFAULT_LISTEN_ADDRESS,
                GoDurations.toWholeSeconds(managers.shutdownTimeout()),
                List.of(entry));
    }

    /**
     * What the managers need of {@code spec.executor.disruption}: only whether Job Pods are protected (config.toml's
     * {@code pod_disruption_budget = false} when not, unset when they are). {@code maxWait} is the operator's
     * ({@code fleet.JobPodRelease}): managers never read it, and leaving it out keeps a change of it from rolling them.
     */
    private static DisruptionSpec managersDisruption(ExecutorSpec executor) {
        return executor.disruptionOrDefaults().protect() ? null : new DisruptionSpec(false, null);
    }

    /** The rotation and the Secret the managers write the new token into (the one their token file is mounted from). */
    private static TokenRotation tokenRotation(GitLabSpec gitlab) {
        if (gitlab.tokenRotation() == null) {
            return null;
        }
        return new TokenRotation(
                GoDurations.parse(gitlab.tokenRotation().before()),
                gitlab.tokenSecretRef().name(),
                gitlab.tokenSecretRef().key());
    }
}
