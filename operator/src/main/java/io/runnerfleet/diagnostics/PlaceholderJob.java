package io.runnerfleet.diagnostics;

import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.jobpod.JobPodException;

/**
 * A job that names no services of its own: what a fleet's Job Pods look like before any real job shapes them.
 * {@code explain} without {@code --job} describes its pod, and the fleet's Diagnostics condition judges it.
 */
public final class PlaceholderJob {
    private static final String JOB = """
            {"id": 1, "token": "explain", "job_info": {"name": "any job", "project_id": 1,
             "project_full_path": "group/project"},
             "git_info": {"repo_url": "https://gitlab.example.com/group/project.git", "sha": "HEAD"},
             "steps": [{"name": "script", "script": []}]}
            """;

    /**
     * The image of a fleet without {@code spec.executor.image}, where each job names its own: a valid reference, since
     * the Job Pod builder refuses any other (a placeholder that is not one made every such fleet's Diagnostics say
     * its jobs would not start, and left it without pause pods or a capacity check).
     */
    public static final String JOBS_OWN_IMAGE = "the-jobs-own-image:from-gitlab-ci-yml";

    /** The service of {@link #withDindService}. */
    public static final String DIND_SERVICE = "docker:dind";

    private PlaceholderJob() {}

    /**
     * The Job Pod of the placeholder job: what room a Job Pod of the fleet takes, and where it may go (pause pods
     * are sized from it).
     *
     * @throws JobPodException when no Job Pod of the fleet can be built (FleetDiagnostics says why)
     */
    public static Pod pod(RunnerFleet fleet) {
        return JobPodBuilder.build(forFleet(fleet), JobPodContext.forFleet(fleet))
                .pod();
    }

    /** The placeholder job; it names an image of its own only when the fleet has no default image. */
    public static JobPayload forFleet(RunnerFleet fleet) {
        return forExecutor(fleet.getSpec().executor());
    }

    /**
     * The placeholder job of a fleet with this executor; its Job Pod is "the fleet's size" a manager checks capacity
     * for ({@code spec.executor.capacityAware}).
     */
    public static JobPayload forExecutor(ExecutorSpec executor) {
        String json = executor.image() != null ? JOB : withJobsOwnImage(JOB);
        return JobPayloadReader.read("(placeholder job)", json);
    }

    /**
     * The placeholder job with one Docker-in-Docker service of its own ({@code docker:dind}, no entrypoint or
     * command): what {@code explain} without {@code --job} shows for dockerd and the containers it starts.
     */
    public static JobPayload withDindService(RunnerFleet fleet) {
        String json = JOB.replace("\"steps\"", "\"services\": [{\"name\": \"" + DIND_SERVICE + "\"}], \"steps\"");
        if (fleet.getSpec().executor().image() == null) {
            json = withJobsOwnImage(json);
        }
        return JobPayloadReader.read("(placeholder job)", json);
    }

    private static String withJobsOwnImage(String json) {
        return json.replace("\"steps\"", "\"image\": {\"name\": \"" + JOBS_OWN_IMAGE + "\"}, \"steps\"");
    }
}
