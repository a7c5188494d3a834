package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.gitlab.job.ReceivedJob;
import io.runnerfleet.jobpod.JobPodNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs whose record was written ({@link JobRecord#first}) and whose Job Pod never was: their manager died in between.
 * Found by the record's {@link JobRecord#AWAITING_POD} label, under the rule adoption uses for pods (the manager it
 * names holds no live Lease, or is this manager without the job running), claimed by compare-and-swap on the
 * Secret's resourceVersion (exactly one manager wins), and resumed: the winner makes the Job Pod from the record and
 * runs the job as if GitLab had just handed it out ({@link JobRun#resumed}); its trace says so. A record the winner
 * cannot read is reported to GitLab as a system failure and deleted, never left behind: this scan is also what
 * keeps such Secrets, which no pod owns, from leaking.
 */
final class PodlessJobs {
    private static final Logger LOG = LoggerFactory.getLogger(PodlessJobs.class);

    private final JobEnvironment env;
    private final JobSlots slots;
    private final ExecutorService jobs;
    private final List<String> namespaces;

    /** {@code namespaces}: where the fleet's Job Pods, and so their records, may be (JobPodInformers.namespaces). */
    PodlessJobs(JobEnvironment env, JobSlots slots, ExecutorService jobs, List<String> namespaces) {
        this.env = env;
        this.slots = slots;
        this.jobs = jobs;
        this.namespaces = List.copyOf(namespaces);
    }

    /**
     * Resumes every record awaiting a pod whose manager is gone. {@code withPods}: jobs whose pod this manager's
     * informer shows; pod adoption carries those.
     */
    void resume(List<String> liveManagers, Set<Long> withPods) {
        String me = env.identity().podName();
        for (Secret record : awaiting()) {
            Optional<Long> jobId = jobIdOf(record);
            String manager = JobRecord.managerOf(record);
            if (jobId.isEmpty()
                    || withPods.contains(jobId.get())
                    || env.running().contains(jobId.get())
                    || record.getMetadata().getDeletionTimestamp() != null
                    || (manager != null && !manager.equals(me) && liveManagers.contains(manager))) {
                continue;
            }
            ManagerClaim.tryClaim(env.kubernetes(), record, me)
                    .ifPresent(claimed -> resume(claimed, jobId.get(), manager));
        }
    }

    private List<Secret> awaiting() {
        List<Secret> records = new ArrayList<>();
        for (String namespace : namespaces) {
            try {
                records.addAll(env.kubernetes()
                        .secrets()
                        .inNamespace(namespace)
                        .withLabel(FleetLabels.FLEET, env.podContext().fleetName())
                        .withLabel(JobRecord.AWAITING_POD, "true")
                        .list()
                        .getItems());
            } catch (KubernetesClientException e) {
                // A namespace a job may move to that does not exist (JobPodInformers.start): no records there.
                LOG.debug("records awaiting a pod in namespace {}: status={}", namespace, e.getCode());
            }
        }
        return records;
    }

    private void resume(Secret record, long jobId, String formerManager) {
        String namespace = record.getMetadata().getNamespace();
        ReceivedJob received =
                JobPayloadReader.readReceived(JobRecord.payload(record).orElse(""));
        LOG.info(
                "job={} resumed from the record of manager={}, which died before making its pod", jobId, formerManager);
        env.metrics().jobAdopted();
        JobSlots.Slot slot = slots.forceAcquire(env.runner().name());
        if (received instanceof ReceivedJob.Readable readable && readable.job().id() == jobId) {
            jobs.execute(JobRun.resumed(env, readable.job(), slot, namespace, formerManager));
            return;
        }
        deleteRecord(namespace, jobId);
        String token = "";
        String problem = "the job's record is another job's";
        if (received instanceof ReceivedJob.Unreadable unreadable) {
            token = unreadable.token() == null ? "" : unreadable.token();
            problem = unreadable.problem();
        }
        jobs.execute(new UnreadableJobReport(env, jobId, token, problem, slot));
    }

    private void deleteRecord(String namespace, long jobId) {
        for (String name : JobPodNames.secretNames(env.podContext().fleetName(), jobId)) {
            try {
                env.kubernetes().secrets().inNamespace(namespace).withName(name).delete();
            } catch (KubernetesClientException e) {
                LOG.warn("job={} record {} not deleted: status={}", jobId, name, e.getCode());
            }
        }
    }

    private static Optional<Long> jobIdOf(Secret secret) {
        var labels = secret.getMetadata().getLabels();
        String id = labels == null ? null : labels.get(FleetLabels.JOB_ID);
        try {
            return id == null ? Optional.empty() : Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
