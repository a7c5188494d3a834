package io.runnerfleet.manager;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs this manager is carrying now and where each is; feeds the jobs gauge and the shutdown paths. */
public final class RunningJobs {
    private final Map<Long, RunningJob> runs = new ConcurrentHashMap<>();
    private final Map<Long, JobStage> stages = new ConcurrentHashMap<>();
    private final ManagerMetrics metrics;

    public RunningJobs(ManagerMetrics metrics) {
        this.metrics = metrics;
    }

    void started(long jobId, RunningJob run) {
        runs.put(jobId, run);
        stage(jobId, JobStage.WAITING_FOR_POD);
    }

    void stage(long jobId, JobStage stage) {
        if (runs.containsKey(jobId) && stages.put(jobId, stage) != stage) {
            publish();
        }
    }

    void finished(long jobId) {
        runs.remove(jobId);
        stages.remove(jobId);
        publish();
    }

    public boolean contains(long jobId) {
        return runs.containsKey(jobId);
    }

    public int size() {
        return runs.size();
    }

    List<RunningJob> all() {
        return List.copyOf(runs.values());
    }

    private synchronized void publish() {
        Map<JobStage, Integer> counts = new EnumMap<>(JobStage.class);
        stages.values().forEach(stage -> counts.merge(stage, 1, Integer::sum));
        metrics.showJobs(counts);
    }
}
