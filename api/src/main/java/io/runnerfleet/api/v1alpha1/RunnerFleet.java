package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A fleet of GitLab runner managers, and how each of their jobs becomes a Job Pod. */
@Group(RunnerFleet.GROUP)
@Version(RunnerFleet.VERSION)
@Kind(RunnerFleet.KIND)
@Plural(RunnerFleet.PLURAL)
@Singular("runnerfleet")
@ShortNames("rf")
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
        name = "GitLab",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"GitLabReachable\")].status")
@AdditionalPrinterColumn(name = "Managers", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.managers")
@AdditionalPrinterColumn(name = "Capacity", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.capacity")
@AdditionalPrinterColumn(
        name = "Running",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.runningJobs")
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class RunnerFleet extends CustomResource<RunnerFleetSpec, RunnerFleetStatus> implements Namespaced {
    public static final String GROUP = "runnerfleet.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "RunnerFleet";
    public static final String PLURAL = "runnerfleets";
    public static final String CRD_NAME = PLURAL + "." + GROUP;

    @Override
    @JsonPropertyDescription("Desired state: the GitLab instance, the manager pods, the runner entry and how each "
            + "job becomes a Job Pod.")
    public RunnerFleetSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "Observed state, written by the operator: readiness, capacity, running jobs and " + "conditions.")
    public RunnerFleetStatus getStatus() {
        return super.getStatus();
    }
}
