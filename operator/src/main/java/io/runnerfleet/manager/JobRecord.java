package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.jobpod.JobPodNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The job as GitLab handed it out, kept in the Job Pod's own Secret: whichever manager carries the job on (after
 * the first one died) reads its token, masked values and settings from here. A Secret, because the payload holds
 * the job token and secret variables.
 *
 * <p>The record is the first thing a manager writes after GitLab's answer ({@link #first}), before anything else
 * about the job, so that a manager killed at any later point leaves a job its peers can find: the Secret carries
 * {@link #AWAITING_POD} and the manager's name until its Job Pod exists (docs/job-survival.md).
 */
public final class JobRecord {
    public static final String PAYLOAD_KEY = "runner-fleet.job.json";
    /**
     * {@code true} on the job's Secret from the record's write until the Secret is made the Job Pod's, then
     * {@code false}: a job whose manager dies in between has this Secret and no pod, and a peer resumes it
     * ({@link PodlessJobs}).
     */
    public static final String AWAITING_POD = FleetLabels.PREFIX + "awaiting-pod";
    /** On a Job Pod made by a peer from the record of a job whose first manager died before making it. */
    public static final String RESUMED_BY = FleetLabels.PREFIX + "resumed-by";

    public static final String RECEIVED_BY = FleetLabels.PREFIX + "received-by";

    private JobRecord() {}

    /**
     * The job's Secret as first written: the record alone, labelled as awaiting its pod and naming this manager;
     * the pod's env is added to it once the pod is built ({@link JobPods#create}).
     */
    public static Secret first(String fleet, String namespace, long jobId, String manager, String payloadJson) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(FleetLabels.FLEET, fleet);
        labels.put(FleetLabels.JOB_ID, Long.toString(jobId));
        labels.put(AWAITING_POD, "true");
        return new SecretBuilder()
                .withNewMetadata()
                .withName(JobPodNames.secretName(fleet, jobId))
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(Map.of(FleetLabels.MANAGER, manager))
                .endMetadata()
                .withType("Opaque")
                .addToStringData(PAYLOAD_KEY, payloadJson)
                .build();
    }

    public static Secret attach(Secret secret, String payloadJson) {
        return new SecretBuilder(secret)
                .addToStringData(PAYLOAD_KEY, payloadJson)
                .build();
    }

    /** The manager that wrote or last claimed the record, or null. */
    public static String managerOf(Secret secret) {
        var annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(FleetLabels.MANAGER);
    }

    /** The Job Pod, marked as made by {@code manager} from the record {@code receivedBy} wrote. */
    public static Pod markResumed(Pod pod, String manager, String receivedBy) {
        return new PodBuilder(pod)
                .editMetadata()
                .addToAnnotations(RESUMED_BY, manager)
                .addToAnnotations(RECEIVED_BY, receivedBy == null ? "" : receivedBy)
                .endMetadata()
                .build();
    }

    /**
     * The trace's line for a resumed job, from its pod alone, so every manager that composes the trace writes it
     * (docs/job-survival.md).
     */
    public static Optional<String> resumedNote(Pod pod) {
        var annotations = pod == null ? null : pod.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(RESUMED_BY)) {
            return Optional.empty();
        }
        String receivedBy = annotations.getOrDefault(RECEIVED_BY, "");
        return Optional.of("Resumed by runner manager " + annotations.get(RESUMED_BY) + ": the manager that received"
                + " the job" + (receivedBy.isEmpty() ? "" : " (" + receivedBy + ")")
                + " stopped before creating its Job Pod");
    }

    public static Optional<String> payload(Secret secret) {
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(PAYLOAD_KEY)) {
            return Optional.of(secret.getStringData().get(PAYLOAD_KEY));
        }
        if (secret.getData() != null && secret.getData().containsKey(PAYLOAD_KEY)) {
            return Optional.of(
                    new String(Base64.getDecoder().decode(secret.getData().get(PAYLOAD_KEY)), StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }
}
