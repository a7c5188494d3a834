package io.runnerfleet.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.desired.DesiredWarmCapacity;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.desired.WarmCapacityPlan;
import io.runnerfleet.diagnostics.PlaceholderJob;
import io.runnerfleet.jobpod.JobPodFootprints;
import io.runnerfleet.jobpod.JobPodResources;
import io.runnerfleet.jobpod.SecretRedaction;
import io.runnerfleet.validation.FleetLoader;
import io.runnerfleet.yaml.Yaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints, as multi-document YAML, everything the operator would create for a fleet. Needs no cluster. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = "Prints as YAML everything the operator would create for a fleet "
                + "(config.toml inside its ConfigMap, RBAC, Deployment, Service, PodDisruptionBudget), and with --job "
                + "the Job Pod and its Secret (values redacted) a manager would create for that job.")
final class RenderCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FLEET.yaml",
            description = "File with one or more RunnerFleet documents (a token Secret beside them is skipped).")
    private Path fleetFile;

    @Option(
            names = "--manager-image",
            paramLabel = "IMAGE",
            description = "Manager image for fleets that name none (default: ${DEFAULT-VALUE}).")
    private String managerImage = OperatorDefaults.forThisBuild().managerImage();

    @Option(
            names = "--job",
            paramLabel = "JOB.json",
            description =
                    "A job as GitLab's POST /api/v4/jobs/request returns it; adds its Job Pod and Secrets (values redacted), "
                            + "built for the file's first fleet.")
    private Path jobFile;

    @Option(
            names = "--running-jobs",
            paramLabel = "N",
            description = "Running jobs of the fleet the pause pods of spec.warmCapacity are counted for "
                    + "(default: ${DEFAULT-VALUE}).")
    private int runningJobs;

    @Option(
            names = "--at",
            paramLabel = "TIME",
            description = "The time spec.warmCapacity's periods are read at, such as 2026-12-07T09:30:00Z "
                    + "(default: now).")
    private Instant at;

    @Override
    public Integer call() {
        List<RunnerFleet> fleets = new FleetLoader().load(fleetFile);
        PrintWriter out = spec.commandLine().getOut();
        OperatorDefaults defaults = new OperatorDefaults(managerImage);
        // Read the job before printing anything, so bad input leaves no half output.
        JobPodResources job = jobFile == null ? null : JobFiles.build(jobFile, fleets.get(0));
        for (RunnerFleet fleet : fleets) {
            List<HasMetadata> objects =
                    new ArrayList<>(FleetObjects.of(fleet, defaults).all());
            objects.addAll(warmCapacity(fleet));
            for (HasMetadata object : objects) {
                out.print("---\n");
                out.print(Yaml.write(object));
            }
        }
        if (job != null) {
            out.print("---\n");
            out.print(Yaml.write(job.pod()));
            for (var secret : job.secrets()) {
                out.print("---\n");
                out.print(Yaml.write(SecretRedaction.redacted(secret)));
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** The pause pods as the operator would keep them at {@code --at} with {@code --running-jobs}, none before. */
    private List<HasMetadata> warmCapacity(RunnerFleet fleet) {
        WarmCapacitySpec warm = fleet.getSpec().warmCapacity();
        if (warm == null) {
            return List.of();
        }
        if (runningJobs < 0) {
            throw new InvalidInputException("render", "--running-jobs", "must be 0 or more, not " + runningJobs);
        }
        WarmCapacityPlan plan = WarmCapacityPlan.of(warm, runningJobs, at == null ? Instant.now() : at, null, null);
        ReplicaSet pods = DesiredWarmCapacity.replicaSet(fleet, JobPodFootprints.of(PlaceholderJob.pod(fleet)), plan);
        return warm.ownPriorityClass() ? List.of(DesiredWarmCapacity.priorityClass(), pods) : List.of(pods);
    }
}
