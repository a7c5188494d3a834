package io.runnerfleet.jobpod;

/**
 * The job cannot become a Job Pod as asked (invalid service alias, a resource override above its cap, a pull policy
 * the fleet does not allow, no image at all). The manager fails the job with this message, so it names the job
 * field or variable and the fix, and never quotes a secret value.
 */
public class JobPodException extends RuntimeException {
    public JobPodException(String message) {
        super(message);
    }
}
