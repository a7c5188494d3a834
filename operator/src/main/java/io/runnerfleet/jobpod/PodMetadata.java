package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.desired.FleetObjectLabels;
import io.runnerfleet.gitlab.job.JobPayload;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labels and annotations of a Job Pod: ours (docs/job-pod.md), gitlab-runner's ({@code job.runner.gitlab.com/*},
 * {@code project.runner.gitlab.com/*}) so existing tooling keeps working, and the fleet's {@code podLabels} /
 * {@code podAnnotations}. The fleet may not override ours: selectors and {@code status.runningJobs} depend on them.
 */
final class PodMetadata {
    static final String GITLAB_JOB = "job.runner.gitlab.com/";
    static final String GITLAB_PROJECT = "project.runner.gitlab.com/";

    private PodMetadata() {}

    /** The labels the Job Pod and its Secret share, which identify them as this job's. */
    static Map<String, String> ownLabels(String fleetName, long jobId) {
        Map<String, String> labels = new TreeMap<>(FleetObjectLabels.common(fleetName));
        labels.put(FleetLabels.JOB_ID, Long.toString(jobId));
        labels.put(FleetLabels.APP_COMPONENT, FleetLabels.COMPONENT_JOB);
        return labels;
    }

    /** The fleet's label values have the job's own variables expanded, as gitlab-runner's kubernetes.go does. */
    static Map<String, String> podLabels(JobPodContext ctx, JobPayload job, String podName, JobVariables variables) {
        Map<String, String> labels = new TreeMap<>();
        ctx.executor().podLabels().forEach((key, value) -> {
            // gitlab-runner ignores user labels in its runner.gitlab.com namespaces; we also keep ours.
            if (!key.contains("runner.gitlab.com/") && !key.startsWith(FleetLabels.PREFIX)) {
                labels.put(key, labelValue(variables.expandWithJobVariables(value)));
            }
        });
        labels.put(GITLAB_JOB + "pod", podName);
        labels.put(GITLAB_PROJECT + "id", Long.toString(job.jobInfo().projectId()));
        if (job.jobInfo().namespaceId() != null) {
            labels.put(
                    GITLAB_PROJECT + "namespace-id", job.jobInfo().namespaceId().toString());
        }
        if (job.jobInfo().rootNamespaceId() != null) {
            labels.put(
                    GITLAB_PROJECT + "root-namespace-id",
                    job.jobInfo().rootNamespaceId().toString());
        }
        String fullPath = job.jobInfo().projectFullPath();
        if (fullPath != null && fullPath.contains("/")) {
            labels.put(GITLAB_PROJECT + "namespace", labelValue(fullPath.substring(0, fullPath.lastIndexOf('/'))));
            labels.put(GITLAB_PROJECT + "root-namespace", labelValue(fullPath.substring(0, fullPath.indexOf('/'))));
        }
        if (job.jobInfo().projectName() != null) {
            labels.put(GITLAB_PROJECT + "name", labelValue(job.jobInfo().projectName()));
        }
        labels.values().removeIf(String::isEmpty);
        labels.putAll(ownLabels(ctx.fleetName(), job.id()));
        if (ctx.executor().disruptionOrDefaults().protect()) {
            // Selected by the fleet's job PodDisruptionBudget (desired.DesiredJobDisruptionBudget); on the pod only,
            // not its Secret, and taken off past maxWait so a drain may proceed.
            labels.put(FleetLabels.DISRUPTION_PROTECTED, "true");
        }
        return labels;
    }

    static Map<String, String> podAnnotations(JobPodContext ctx, JobPayload job, JobVariables variables) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(GITLAB_JOB + "id", Long.toString(job.id()));
        jobUrl(job, variables).ifPresent(url -> annotations.put(GITLAB_JOB + "url", url));
        annotations.put(GITLAB_JOB + "sha", job.gitInfo().sha());
        putIfPresent(annotations, GITLAB_JOB + "before_sha", job.gitInfo().beforeSha());
        putIfPresent(annotations, GITLAB_JOB + "ref", job.gitInfo().ref());
        putIfPresent(annotations, GITLAB_JOB + "name", job.jobInfo().name());
        annotations.put(GITLAB_JOB + "timeout", goDuration(job.timeoutSeconds()));
        annotations.put(GITLAB_PROJECT + "id", Long.toString(job.jobInfo().projectId()));
        // gitlab-runner lets pod_annotations override its defaults, and expands the job's own variables in them.
        ctx.executor().podAnnotations().forEach((key, value) -> {
            if (!key.startsWith(FleetLabels.PREFIX)) {
                annotations.put(key, variables.expandWithJobVariables(value));
            }
        });
        if (ctx.executor().disruptionOrDefaults().protect()) {
            // After the fleet's podAnnotations: a protected pod is never marked safe to evict by a stray annotation.
            annotations.put(FleetLabels.SAFE_TO_EVICT, "false");
        }
        if (ctx.managerName() != null) {
            annotations.put(FleetLabels.MANAGER, ctx.managerName());
        }
        return new TreeMap<>(annotations);
    }

    private static java.util.Optional<String> jobUrl(JobPayload job, JobVariables variables) {
        java.util.Optional<String> url = variables.value("CI_JOB_URL").filter(u -> !variables.isSecret("CI_JOB_URL"));
        if (url.isPresent()) {
            return url;
        }
        return variables
                .value("CI_PROJECT_URL")
                .filter(u -> !variables.isSecret("CI_PROJECT_URL"))
                .map(p -> p.replaceFirst("/+$", "") + "/-/jobs/" + job.id());
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }

    /** A label value as gitlab-runner sanitises it: {@code [A-Za-z0-9._-]}, at most 63, alphanumeric ends. */
    static String labelValue(String value) {
        String sanitized = value.replaceAll("[^A-Za-z0-9._-]", "_");
        if (sanitized.length() > 63) {
            sanitized = sanitized.substring(0, 63);
        }
        return sanitized.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    }

    /** Go's {@code time.Duration.String()} for whole seconds: {@code 1h0m0s}, {@code 2m30s}, {@code 45s}. */
    static String goDuration(long seconds) {
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            return hours + "h" + minutes + "m" + rest + "s";
        }
        if (minutes > 0) {
            return minutes + "m" + rest + "s";
        }
        return rest + "s";
    }
}
