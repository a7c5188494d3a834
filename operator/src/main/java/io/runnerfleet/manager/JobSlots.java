package io.runnerfleet.manager;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * gitlab-runner's capacity rules: at most {@code concurrent} jobs in the whole process and at most {@code limit}
 * per runner entry (0: no per-runner cap). A slot is taken before a job is requested, so the manager never asks
 * GitLab for a job it has no room for, and it is held until the job's pod is gone.
 */
public final class JobSlots {
    private final int concurrent;
    private final Map<String, Integer> inUseByRunner = new HashMap<>();
    private final java.util.Set<Slot> held = new java.util.HashSet<>();
    private int inUse;

    public JobSlots(int concurrent) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("concurrent must be at least 1, got " + concurrent);
        }
        this.concurrent = concurrent;
    }

    /**
     * A taken slot; closing it gives it back, once. Its {@link #concurrentId()} is the lowest number no other held
     * slot of the runner has, as gitlab-runner numbers {@code CI_CONCURRENT_ID} ({@code commands/builds_helper.go}).
     */
    public final class Slot implements AutoCloseable {
        private final String runner;
        private final int concurrentId;
        private Long projectId;
        private int concurrentProjectId;
        private boolean released;
        private final java.util.List<Runnable> onClose = new java.util.ArrayList<>();

        private Slot(String runner) {
            this.runner = runner;
            int id = 0;
            while (taken(s -> s.concurrentId, runner, null, id)) {
                id++;
            }
            this.concurrentId = id;
        }

        public int concurrentId() {
            return concurrentId;
        }

        /**
         * {@code CI_CONCURRENT_PROJECT_ID}: once the job's project is known, the lowest number no other held slot of
         * the runner for the same project has. The same answer each time it is asked.
         */
        public int concurrentProjectId(long project) {
            synchronized (JobSlots.this) {
                if (projectId == null) {
                    int id = 0;
                    while (taken(s -> s.concurrentProjectId, runner, project, id)) {
                        id++;
                    }
                    concurrentProjectId = id;
                    projectId = project;
                }
                return concurrentProjectId;
            }
        }

        /** Runs {@code action} when the slot is given back (at once if it already was), outside the slots' lock. */
        public void onClose(Runnable action) {
            synchronized (JobSlots.this) {
                if (!released) {
                    onClose.add(action);
                    return;
                }
            }
            action.run();
        }

        @Override
        public void close() {
            synchronized (JobSlots.this) {
                if (released) {
                    return;
                }
                released = true;
                held.remove(this);
                inUse--;
                inUseByRunner.merge(runner, -1, Integer::sum);
                JobSlots.this.notifyAll();
            }
            onClose.forEach(Runnable::run);
        }
    }

    public synchronized Optional<Slot> tryAcquire(String runner, int limit) {
        int runnerInUse = inUseByRunner.getOrDefault(runner, 0);
        if (inUse >= concurrent || (limit > 0 && runnerInUse >= limit)) {
            return Optional.empty();
        }
        inUse++;
        inUseByRunner.merge(runner, 1, Integer::sum);
        Slot slot = new Slot(runner);
        held.add(slot);
        return Optional.of(slot);
    }

    /**
     * A slot for a job that is already running (adopted from a dead peer): taken even past {@code concurrent},
     * since refusing would lose the job; new jobs are not requested until the count is back under.
     */
    public synchronized Slot forceAcquire(String runner) {
        inUse++;
        inUseByRunner.merge(runner, 1, Integer::sum);
        Slot slot = new Slot(runner);
        held.add(slot);
        return slot;
    }

    /** Waits until a slot is free or the timeout passes. */
    public synchronized Optional<Slot> acquire(String runner, int limit, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Optional<Slot> slot = tryAcquire(runner, limit);
            long left = deadline - System.currentTimeMillis();
            if (slot.isPresent() || left <= 0) {
                return slot;
            }
            wait(left);
        }
    }

    /** Whether a held slot of {@code runner} (and of {@code project}, unless null) has {@code id}. */
    private boolean taken(java.util.function.ToIntFunction<Slot> number, String runner, Long project, int id) {
        return held.stream()
                .anyMatch(s -> s.runner.equals(runner)
                        && (project == null || project.equals(s.projectId))
                        && number.applyAsInt(s) == id);
    }

    public synchronized int inUse() {
        return inUse;
    }

    public int concurrent() {
        return concurrent;
    }
}
