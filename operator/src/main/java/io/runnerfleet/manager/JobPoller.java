package io.runnerfleet.manager;

import io.runnerfleet.gitlab.client.JobRequestResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks GitLab for jobs for one runner entry, as gitlab-runner's workers do: take a free slot first (never request
 * a job without room for it), long-poll, hand a received job to its own {@link JobRun} and ask again at once;
 * after an empty answer wait {@code check_interval}, unless the queue moved meanwhile ({@link #queueMoved}); after an unhealthy one, back off, and after
 * {@code unhealthy_requests_limit} unhealthy ones in a row ask no more for {@code unhealthy_interval}
 * (gitlab-runner's {@code commands/health_helper.go}; {@code gitlab_runner_worker_health_check_failures_total}).
 */
public final class JobPoller implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JobPoller.class);
    private static final Duration UNHEALTHY_BACKOFF = Duration.ofSeconds(30);

    private final JobEnvironment env;
    private final JobSlots slots;
    private final RunnerToken token;
    private final Duration checkInterval;
    private final ExecutorService jobs;
    private volatile boolean stopped;
    private volatile String lastUpdate = "";
    private final RunnerHealth health;
    private final GitLabContact contact;
    private final BooleanSupplier paused;
    private boolean wasPaused;
    private final CapacityGate capacity;
    private String wasLimited;

    /** {@code paused}: the fleet's {@code spec.paused} as this manager's Lease carries it ({@link ManagerLease}). */
    public JobPoller(
            JobEnvironment env,
            JobSlots slots,
            RunnerToken token,
            Duration checkInterval,
            ExecutorService jobs,
            GitLabContact contact,
            BooleanSupplier paused,
            CapacityGate capacity) {
        this.env = env;
        this.capacity = capacity;
        this.paused = paused;
        this.contact = contact;
        this.slots = slots;
        this.token = token;
        this.checkInterval = checkInterval;
        this.jobs = jobs;
        this.health = new RunnerHealth(
                env.runner().unhealthy().requestsLimitOrDefault(),
                unhealthyInterval(env),
                env.clock().instant());
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped && !Thread.currentThread().isInterrupted()) {
            try {
                if (pausedNow()) {
                    // A short nap: RunnerManager re-reads the flag each check interval; this only notices it.
                    pause(Duration.ofMillis(Math.min(checkInterval.toMillis(), 200)));
                    continue;
                }
                if (!health.mayRequest(env.clock().instant())) {
                    pause(Duration.ofSeconds(1));
                    continue;
                }
                Optional<JobSlots.Slot> slot =
                        slots.acquire(env.runner().name(), env.runner().limit(), 1_000);
                if (slot.isEmpty()) {
                    continue;
                }
                if (stopped) {
                    slot.get().close();
                    break;
                }
                if (noRoom(slot.get())) {
                    continue;
                }
                pollOnce(slot.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                env.metrics().error("error");
                LOG.error("runner={} job request failed: {}", env.runner().name(), e.toString());
                contact.unreachable(e.toString());
                markHealth(false);
                pause(UNHEALTHY_BACKOFF);
            }
        }
    }

    private void pollOnce(JobSlots.Slot slot) {
        JobRequestResult result;
        String sent = lastUpdate;
        try {
            token.reloadIfDue(env.clock().instant());
            result = env.gitlab().requestJob(token.value(), sent);
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
        if (result instanceof JobRequestResult.Forbidden
                && token.reload(env.clock().instant())) {
            // Another manager rotated the token and the mounted Secret already has the new one: ask again with it
            // at once rather than report a rejected token.
            slot.close();
            return;
        }
        contact.requested(result, env.clock().instant());
        markHealth(result.healthy());
        if (result.lastUpdate() != null) {
            lastUpdate = result.lastUpdate();
        }
        if (result instanceof JobRequestResult.JobReceived received) {
            LOG.info("runner={} received job={}", env.runner().name(), received.id());
            capacity.received(slot, received.id());
            jobs.execute(JobRun.received(
                    env, received.job(), received.json(), slot, env.clock().instant()));
            return;
        }
        if (result instanceof JobRequestResult.UnreadableJob unreadable) {
            LOG.info("runner={} received job={}", env.runner().name(), unreadable.id());
            capacity.received(slot, unreadable.id());
            jobs.execute(new UnreadableJobReport(env, unreadable.id(), unreadable.token(), unreadable.problem(), slot));
            return;
        }
        slot.close();
        if (queueMoved(result, sent)) {
            return;
        }
        // gitlab-runner asks again at check_interval either way; RunnerHealth is what backs off.
        pause(checkInterval);
    }

    /**
     * {@code spec.executor.capacityAware}: when no Job Pod of the fleet's size fits under the executor namespace's
     * quotas (and, with {@code nodes}, on some node) now, the slot is given back, the job left to other runners (it stays pending in GitLab), the skip
     * counted and reported, and the poller asks again after {@code check_interval}, as after an empty answer.
     * gitlab-runner has no such check: it requests whenever a slot is free ({@code commands/multi.go}).
     */
    private boolean noRoom(JobSlots.Slot slot) {
        Optional<CapacityGate.Shortfall> shortfall = capacity.reserve(slot);
        String limited = shortfall.map(CapacityGate.Shortfall::message).orElse(null);
        contact.capacity(limited, env.clock().instant());
        if (!Objects.equals(limited, wasLimited)) {
            wasLimited = limited;
            LOG.info(
                    "runner={} {}",
                    env.runner().name(),
                    wasLimited == null ? "a Job Pod fits again: asks for jobs" : "asks for no job: " + wasLimited);
        }
        if (shortfall.isEmpty()) {
            return false;
        }
        slot.close();
        env.metrics().requestSkipped(shortfall.get().reason());
        pause(checkInterval);
        return true;
    }

    /** Paused as on SIGQUIT, but reversible: no job request; the running jobs carry on and are reported. */
    private boolean pausedNow() {
        boolean now = paused.getAsBoolean();
        if (now != wasPaused) {
            wasPaused = now;
            contact.paused(now, env.clock().instant());
            LOG.info("runner={} {}", env.runner().name(), now ? "paused: asks for no job" : "resumed");
        }
        return now;
    }

    /**
     * An empty answer whose {@code X-GitLab-Last-Update} is not the one sent: the runner's queue changed while we
     * asked (the first ask, or a held request woken by a job another request or runner took). Here we differ from
     * gitlab-runner, which waits {@code check_interval} after any empty answer ({@code commands/multi.go},
     * {@code feedRunners}): asking again at once with the new value lets GitLab hold the request until the next job
     * instead of leaving it queued for up to {@code check_interval}; with {@code request_concurrency} above 1 every
     * job wakes every held request and all but one come back empty, so the pause would idle them all. It cannot
     * spin: the next ask sends the value just received, so only a further queue change answers it at once.
     */
    private static boolean queueMoved(JobRequestResult result, String sent) {
        return result instanceof JobRequestResult.NoJob
                && result.lastUpdate() != null
                && !result.lastUpdate().equals(sent);
    }

    private void markHealth(boolean healthy) {
        if (!healthy) {
            env.metrics().healthCheckFailed();
        }
        if (health.mark(healthy, env.clock().instant())) {
            contact.backingOff(health.disabledUntil(), health.failures());
            LOG.error(
                    "runner={} is unhealthy after {} failed job requests in a row and asks for no job for {}",
                    env.runner().name(),
                    health.failures(),
                    unhealthyInterval(env));
        }
    }

    /** The runner's {@code unhealthy_interval}, else the manager's default (gitlab-runner's 1 h). */
    private static Duration unhealthyInterval(JobEnvironment env) {
        return env.runner().unhealthy().intervalOr(env.timings().unhealthyInterval());
    }

    private void pause(Duration duration) {
        long until = System.currentTimeMillis() + duration.toMillis();
        while (!stopped && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
