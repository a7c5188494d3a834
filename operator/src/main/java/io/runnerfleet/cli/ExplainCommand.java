package io.runnerfleet.cli;

import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.explain.ExplainReport;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.validation.FleetLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints for a human what a fleet, and optionally a job, become. Needs no cluster. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description =
                "Prints for a human what a fleet (and a job) become: capacity, Job Pod "
                        + "resources, which DNS each container uses (dockerd's own pulls vs the containers it starts), warnings.")
final class ExplainCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FLEET.yaml",
            description = "File with one or more RunnerFleet documents.")
    private Path fleetFile;

    @Option(
            names = "--job",
            paramLabel = "JOB.json",
            description = "A job as GitLab's POST /api/v4/jobs/request returns it, to explain its Job Pod.")
    private Path jobFile;

    @Override
    public Integer call() {
        List<RunnerFleet> fleets = new FleetLoader().load(fleetFile);
        Optional<JobPayload> job = jobFile == null ? Optional.empty() : Optional.of(JobFiles.read(jobFile));
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < fleets.size(); i++) {
            if (i > 0) {
                out.print('\n');
            }
            out.print(ExplainReport.of(fleets.get(i), job));
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
