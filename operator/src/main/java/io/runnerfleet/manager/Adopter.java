package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.gitlab.job.ReceivedJob;
import io.runnerfleet.jobpod.JobPodNames;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this manager's Lease and carries on the jobs of peers whose Lease is gone: a Job Pod whose manager holds
 * no live Lease is claimed by compare-and-swap (exactly one manager wins) and followed from the start of its logs,
 * which recomposes the same trace; GitLab's length tells the new uploader where to continue. A Job Pod whose job
 * record is missing cannot be carried on and is deleted as an orphan. A job whose record was written and whose pod
 * never was (its manager died in between) is resumed from the record ({@link PodlessJobs}).
 */
public final class Adopter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Adopter.class);

    private final JobEnvironment env;
    private final ManagerLease lease;
    private final JobSlots slots;
    private final Supplier<List<Pod>> jobPods;
    private final ExecutorService jobs;
    private final PodlessJobs podless;
    private volatile boolean stopped;

    /** {@code namespaces}: where the fleet's Job Pods may be, for the records of jobs that have none yet. */
    public Adopter(
            JobEnvironment env,
            ManagerLease lease,
            JobSlots slots,
            Supplier<List<Pod>> jobPods,
            ExecutorService jobs,
            List<String> namespaces) {
        this.env = env;
        this.lease = lease;
        this.slots = slots;
        this.jobPods = jobPods;
        this.jobs = jobs;
        this.podless = new PodlessJobs(env, slots, jobs, namespaces);
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        if (stopped) {
            return;
        }
        try {
            if (!lease.renew()) {
                return;
            }
            adoptOrphanedJobs();
        } catch (KubernetesClientException e) {
            LOG.warn("adoption scan failed status={} message={}", e.getCode(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("adoption scan failed: {}", e.toString());
        }
    }

    private void adoptOrphanedJobs() {
        List<String> live = lease.liveManagers();
        String me = env.identity().podName();
        Set<Long> withPods = new HashSet<>();
        for (Pod pod : jobPods.get()) {
            if (stopped) {
                return;
            }
            Optional<Long> jobId = jobIdOf(pod);
            jobId.ifPresent(withPods::add);
            String manager = PodAdoption.managerOf(pod);
            if (jobId.isEmpty()
                    || env.running().contains(jobId.get())
                    || pod.getMetadata().getDeletionTimestamp() != null
                    || (manager != null && !manager.equals(me) && live.contains(manager))) {
                continue;
            }
            adopt(pod, jobId.get(), manager);
        }
        if (!stopped) {
            podless.resume(live, withPods);
        }
    }

    private void adopt(Pod pod, long jobId, String formerManager) {
        String namespace = pod.getMetadata().getNamespace();
        Secret secret = env.pods()
                .secret(namespace, JobPodNames.secretName(env.podContext().fleetName(), jobId));
        Optional<String> payload = JobRecord.payload(secret);
        if (payload.isEmpty()) {
            LOG.warn(
                    "job={} pod={} has no job record; deleting it as an orphan",
                    jobId,
                    pod.getMetadata().getName());
            deleteOrphan(pod, jobId);
            return;
        }
        Optional<Pod> claimed =
                PodAdoption.tryAdopt(env.kubernetes(), pod, env.identity().podName());
        if (claimed.isEmpty()) {
            return;
        }
        if ("true"
                .equals(
                        secret.getMetadata().getLabels() == null
                                ? null
                                : secret.getMetadata().getLabels().get(JobRecord.AWAITING_POD))) {
            // Its manager died after making the pod and before owning the record: owned now, so that no peer takes
            // the record for a job without a pod once this job's pod is deleted and before its Secret is.
            env.pods().ownSecret(claimed.get(), secret.getMetadata().getName());
        }
        LOG.info(
                "job={} adopted pod={} from manager={}",
                jobId,
                pod.getMetadata().getName(),
                formerManager);
        env.metrics().jobAdopted();
        JobSlots.Slot slot = slots.forceAcquire(env.runner().name());
        ReceivedJob record = JobPayloadReader.readReceived(payload.get());
        if (record instanceof ReceivedJob.Readable readable) {
            jobs.execute(JobRun.adopted(
                    env, jobId, readable.job(), slot, pod.getMetadata().getNamespace()));
        } else if (record instanceof ReceivedJob.Unreadable unreadable) {
            // The id is the pod's; the token, if the record still has one, lets GitLab hear that the job failed.
            jobs.execute(new UnreadableJobReport(
                    env, jobId, unreadable.token() == null ? "" : unreadable.token(), unreadable.problem(), slot));
        }
    }

    private void deleteOrphan(Pod pod, long jobId) {
        try {
            env.pods()
                    .delete(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            JobPodNames.secretNames(env.podContext().fleetName(), jobId),
                            Duration.ZERO,
                            Duration.ZERO);
            env.metrics().orphanDeleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Long> jobIdOf(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        String id = labels == null ? null : labels.get(FleetLabels.JOB_ID);
        try {
            return id == null ? Optional.empty() : Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
