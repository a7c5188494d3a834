package io.runnerfleet.faults;

import io.runnerfleet.bench.Figures;
import io.runnerfleet.bench.MemoryBenchmark;
import io.runnerfleet.bench.PodCreations;
import io.runnerfleet.config.ConfigTomlWriter;
import io.runnerfleet.manager.BenchStand;
import io.runnerfleet.manager.JobStand;
import io.runnerfleet.manager.RealApiStand;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue #18's soak: quick jobs through a fleet of manager processes while one is SIGKILLed every so often and
 * restarted ({@link ManagerProcesses}); then per job, was it lost, run twice, is its trace complete; the managers'
 * API requests per job; their memory over the run ({@link SoakRun}).
 *
 * <p>The managers run against the real kube-apiserver with the simulated kubelet and the kubelet stand-in
 * ({@link RealApiStand}): their log streams ({@code pods/log}) and build log file reads ({@code pods/exec}) go through
 * the API server's proxy to the stand-in's node, as on a cluster. {@code --soak-api=mock} runs them on fabric8's mock
 * API server instead ({@link BenchStand}), which serves the logs itself and answers no exec ({@link SoakApi}).
 */
public final class Soak implements FaultScenario {
    @Override
    public String name() {
        return "soak";
    }

    @Override
    public void run(FaultSize size, Figures out) throws Exception {
        SoakRun.Result r = run(size.soak());
        out.add("soak_on_real_api_server", size.soak().api() == SoakApi.REAL ? 1 : 0, "flag");
        out.add("soak_jobs", r.jobs(), "jobs");
        out.add("soak_managers", r.managers(), "managers");
        out.add("soak_kills", r.kills(), "kills");
        out.add("soak_kills_as_new_pod", r.killsAsNewPod(), "kills");
        out.add("soak_jobs_lost", r.lost(), "jobs");
        out.add("soak_jobs_lost_before_their_record", r.lostBeforeRecord(), "jobs");
        out.add("soak_jobs_resumed", r.resumed(), "jobs");
        out.add("soak_jobs_twice", r.twice(), "jobs");
        out.add("soak_traces_incomplete", r.incomplete(), "jobs");
        out.add("soak_kube_requests_per_job", r.kubeRequests() / (double) r.jobs(), "requests");
        out.add("soak_gitlab_calls_per_job", r.gitlabCalls() / (double) r.jobs(), "calls");
        out.add("soak_rss_max", mib(r.rssAnyManager().max()), "MiB");
        series(out, "soak_survivor_rss", r.survivorRss());
        series(out, "soak_survivor_live_heap", r.survivorLiveHeap());
        out.add("soak_memory_samples", r.survivorRss().size(), "samples");
        out.add("soak_all_done", r.seconds(), "s");
    }

    private static void series(Figures out, String name, MemorySeries s) {
        out.add(name + "_max", mib(s.max()), "MiB");
        out.add(name + "_first_tenth", mib(s.firstTenth()), "MiB");
        out.add(name + "_last_tenth", mib(s.lastTenth()), "MiB");
        out.add(name + "_last_over_first", s.ratio(), "x");
        out.add(name + "_flat", s.flat() ? 1 : 0, "flag");
    }

    private static double mib(double bytes) {
        return bytes / 1048576.0;
    }

    private static JobStand stand(SoakApi api, Duration longPoll) throws Exception {
        return api == SoakApi.REAL ? new RealApiStand(longPoll) : new BenchStand(longPoll);
    }

    static SoakRun.Result run(SoakSize size) throws Exception {
        System.err.printf(
                "faults: soak, %d jobs, %d manager processes, a kill every %d s, on the %s API server%n",
                size.jobs(),
                size.managers(),
                size.killEvery().toSeconds(),
                size.api().name().toLowerCase(java.util.Locale.ROOT));
        Path dir = Files.createTempDirectory("runner-fleet-soak");
        // Production timings in the managers (their CLI has no other); GitLab holds jobs/request up to 50 s.
        try (JobStand stand = stand(size.api(), Duration.ofSeconds(50));
                PodCreations pods = new PodCreations(stand.client(), stand.namespace());
                RecordWrites records = new RecordWrites(stand.client(), stand.namespace())) {
            stand.quickJobs();
            List<Long> ids = new ArrayList<>();
            for (long id = 1; id <= size.jobs(); id++) {
                ids.add(stand.gitlab().enqueue(TestJob.builder(id).build()));
            }
            Path config = Files.writeString(
                    dir.resolve("config.toml"), ConfigTomlWriter.write(stand.config(size.concurrent(), 3, 4096)));
            Path token = Files.writeString(dir.resolve("token"), TestGitLab.RUNNER_TOKEN);
            Path kubeconfig = stand instanceof RealApiStand real
                    ? Files.writeString(dir.resolve("kubeconfig"), real.kubeconfigYaml())
                    : MemoryBenchmark.kubeconfig(
                            dir, stand.client().getMasterUrl().toString(), stand.namespace());
            try (ManagerProcesses managers =
                    new ManagerProcesses(dir, config, token, kubeconfig, stand.namespace(), size.managers())) {
                return new SoakRun(size, stand, pods, records, managers, ids).run();
            }
        }
    }
}
