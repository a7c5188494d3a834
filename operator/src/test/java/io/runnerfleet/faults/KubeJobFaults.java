package io.runnerfleet.faults;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.bench.Figures;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.desired.ManagerConfigBuilder;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.manager.ManagerIdentity;
import io.runnerfleet.manager.ManagerOptions;
import io.runnerfleet.manager.ManagerTimings;
import io.runnerfleet.manager.RunnerManager;
import io.runnerfleet.manager.RunnerToken;
import io.runnerfleet.testing.JobPodUids;
import io.runnerfleet.testing.KubeFaultProxy;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealNodeCluster;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import io.runnerfleet.testing.gitlab.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue #18's faults on the Kubernetes side, with jobs: runner managers in this JVM whose Kubernetes clients reach
 * the real cluster's kube-apiserver ({@link RealNodeCluster}) only through a {@link KubeFaultProxy} (10 % 500/503/429,
 * 5 % 409 on updates, 1–3 s latency on 10 %, watches ended every 5–20 s), run quick jobs of the test GitLab; their
 * Job Pods run on the real kubelet and clone from the test GitLab on the bridge. Once a few builds are running the
 * proxy refuses every call for the outage. The test reads the API server directly (an informer records every Job
 * Pod uid) and GitLab's view of each job, and counts what was lost, run twice, left incomplete or left behind.
 *
 * <p>The managers run in-process (not as pods): only then can their client go through the proxy, which listens on
 * 127.0.0.1. What they need of the API server passes it: calls, HTTP watches ({@code onlyHttpWatches}) and
 * {@code follow=true} log streams (streamed as they come). {@code pods/exec} (a WebSocket upgrade, which the JDK's
 * HTTP server cannot pass on) does not: a manager execs only to read a build's log file on adoption, after a log
 * stream's resume that cannot prove continuity, or past 2 MiB of build output ({@code manager/trace/
 * KubernetesLogFiles}); a quick job needs none of it unless a job is adopted, which this scenario must not cause.
 */
public final class KubeJobFaults implements FaultScenario {
    static final long SEED = 1818;
    static final String FLEET = "kube-jobs";
    private static final String PROJECT = "acme/shop";

    @Override
    public String name() {
        return "kube-jobs";
    }

    @Override
    public void run(FaultSize size, Figures out) throws Exception {
        KubeJobsSize s = size.kubeJobs();
        KubeJobsResult r = run(s);
        out.add("kube_jobs", s.jobs(), "jobs");
        out.add("kube_jobs_managers", s.managers(), "managers");
        out.add("kube_jobs_injected_errors", r.injectedErrors(), "calls");
        out.add("kube_jobs_injected_conflicts", r.injectedConflicts(), "calls");
        out.add("kube_jobs_injected_delays", r.delayed(), "calls");
        out.add("kube_jobs_watches_ended", r.watchesEnded(), "watches");
        out.add("kube_jobs_outage", s.outage().toSeconds(), "s");
        out.add("kube_jobs_refused_in_outage", r.refused(), "calls");
        out.add("kube_jobs_started", r.started(), "jobs");
        out.add("kube_jobs_finished", r.finished(), "jobs");
        out.add("kube_jobs_lost", r.lost(), "jobs");
        out.add("kube_jobs_twice", r.twice(), "jobs");
        out.add("kube_jobs_traces_incomplete", r.incomplete(), "jobs");
        out.add("kube_jobs_orphaned_pods", r.orphaned(), "objects");
        out.add("kube_jobs_all_done", r.allDone(), "s");
        out.add("kube_jobs_all_done_after_outage", r.afterOutage(), "s");
    }

    static KubeJobsResult run(KubeJobsSize size) throws Exception {
        RealNodeCluster cluster = RealNodeCluster.shared();
        Path work = Files.createTempDirectory("kube-jobs");
        Path repositories = work.resolve("repositories");
        TestRepository repository = TestRepository.create(repositories, PROJECT, "main", Map.of("README.md", "jobs\n"));
        String namespace = cluster.createNamespace("faults-jobs");
        List<RunnerManager> managers = new ArrayList<>();
        List<KubernetesClient> clients = new ArrayList<>();
        try (TestGitLab gitlab = TestGitLab.builder()
                        .bindAddress(cluster.hostIp())
                        .repositories(repositories)
                        .longPoll(Duration.ofSeconds(20))
                        .updateIntervalSeconds(1)
                        .start();
                JobPodUids pods = new JobPodUids(cluster.client(), namespace, FLEET);
                KubeFaultProxy proxy =
                        KubeFaultProxy.start(cluster.client().getConfiguration(), work.resolve("proxy"))) {
            proxy.plan(KubeFaultProxy.Plan.unreliable(SEED));
            ManagerConfig config = ManagerConfigBuilder.build(fleet(cluster, gitlab, namespace, size));
            long start = System.nanoTime();
            for (int i = 0; i < size.managers(); i++) {
                KubernetesClient client = RealApiServer.newClient(proxy.clientConfig());
                clients.add(client);
                String pod = FLEET + "-manager-" + i;
                RunnerManager manager = new RunnerManager(
                        config,
                        RunnerToken.of(TestGitLab.RUNNER_TOKEN),
                        ManagerIdentity.fromEnvironment(Map.of("POD_NAME", pod, "POD_NAMESPACE", namespace), namespace),
                        client,
                        options());
                manager.start();
                managers.add(manager);
            }
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < size.jobs(); i++) {
                ids.add(gitlab.enqueue(job(cluster, gitlab, repository, size, i)));
            }
            KubeJobsRun run = new KubeJobsRun(size, gitlab, ids, proxy);
            run.awaitRunning();
            long outageEnd = run.outage();
            run.awaitAllDone(start + size.deadline().toNanos());
            double allDone = (System.nanoTime() - start) / 1e9;
            double afterOutage = (System.nanoTime() - outageEnd) / 1e9;
            run.awaitCleanedUp(cluster.client(), namespace);
            for (RunnerManager manager : managers) {
                manager.finishJobsAndStop();
            }
            managers.clear();
            Thread.sleep(2_000); // a late second final update or a second pod would show up now
            return run.result(pods, cluster.client(), namespace, allDone, afterOutage);
        } finally {
            managers.forEach(RunnerManager::crash);
            clients.forEach(KubernetesClient::close);
            cluster.client().namespaces().withName(namespace).delete();
        }
    }

    /** Production timings and retries ({@link ManagerOptions#defaults()}), /metrics on a free loopback port. */
    private static ManagerOptions options() {
        return new ManagerOptions(
                ManagerTimings.defaults(),
                TraceUploader.Options.defaults(),
                b -> b,
                "127.0.0.1:0",
                Clock.systemUTC(),
                null);
    }

    /** Prints tick-1..tick-N, one a second: a trace whose every line can be checked once and in order. */
    private static TestJob job(
            RealNodeCluster cluster, TestGitLab gitlab, TestRepository repository, KubeJobsSize size, int i) {
        return TestJob.builder()
                .project(42, PROJECT)
                .repo(gitlab.repositoryUrl(PROJECT), repository.ref(), repository.sha())
                .image(cluster.buildImage())
                .timeoutSeconds(600)
                .name("kube-jobs-" + i)
                .script("for i in $(seq 1 " + size.ticks() + "); do echo tick-$i; sleep 1; done")
                .build();
    }

    /**
     * The fleet the managers serve, never created: its config.toml model is what they run with (the operator's
     * {@code ManagerConfigBuilder}, as a manager pod's). Small requests, so that 10 Job Pods fit the shared node;
     * the bridge's dnsmasq as the only nameserver, as {@code testing/RealClusterFleet}'s.
     */
    private static RunnerFleet fleet(RealNodeCluster cluster, TestGitLab gitlab, String namespace, KubeJobsSize size) {
        String yaml = """
                apiVersion: runnerfleet.io/v1alpha1
                kind: RunnerFleet
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  gitlab:
                    url: %s
                    tokenSecretRef: {name: %s-token, key: token}
                  managers:
                    replicas: %d
                    concurrent: %d
                    checkInterval: 1s
                    shutdownTimeout: 10s
                  runner:
                    featureFlags: {FF_TIMESTAMPS: false}
                  executor:
                    image: %s
                    helperImage: %s
                    pullPolicy: [if-not-present]
                    pollTimeout: 180
                    build: {cpuRequest: 10m, memoryRequest: 16Mi}
                    helper: {cpuRequest: 10m, memoryRequest: 16Mi}
                    dns:
                      policy: None
                      nameservers: [%s]
                """.formatted(
                        FLEET,
                        namespace,
                        gitlab.url(),
                        FLEET,
                        size.managers(),
                        size.concurrent(),
                        cluster.buildImage(),
                        cluster.helperImage(),
                        cluster.dnsIp());
        return Serialization.unmarshal(yaml, RunnerFleet.class);
    }
}
