package io.runnerfleet.cli;

import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.jobpod.JobPodException;
import io.runnerfleet.jobpod.JobPodResources;
import java.nio.file.Path;

/** A job file given on the command line, and its Job Pod; a job the fleet cannot run is bad input (exit 2). */
final class JobFiles {
    private JobFiles() {}

    static JobPayload read(Path file) {
        return JobPayloadReader.read(file);
    }

    static JobPodResources build(Path file, RunnerFleet fleet) {
        JobPayload job = read(file);
        try {
            return JobPodBuilder.build(job, JobPodContext.forFleet(fleet));
        } catch (JobPodException e) {
            throw new InvalidInputException(
                    file.toString(), "(job on fleet " + fleet.getMetadata().getName() + ")", e.getMessage());
        }
    }
}
