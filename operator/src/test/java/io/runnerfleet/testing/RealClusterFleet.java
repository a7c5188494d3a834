package io.runnerfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runnerfleet.api.v1alpha1.CacheS3Spec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.jobpod.JobPodNames;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import io.runnerfleet.testing.gitlab.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A seed-shaped fleet on the real test cluster: the operator in this JVM (as a user's would run anywhere), managers
 * as pods from the project's image that reach the API server through the {@code kubernetes} Service and GitLab at
 * the bridge address, Job Pods resolving names only through the bridge's dnsmasq ({@code dnsPolicy: None}), and a
 * test GitLab that serves the repository {@code acme/shop} for the clone.
 */
public final class RealClusterFleet implements AutoCloseable {
    public static final String FLEET = "e2e-fleet";
    public static final String PROJECT = "acme/shop";
    public static final int REPLICAS = 2;
    public static final int CONCURRENT = 2;
    /**
     * The Job Pods' poll_timeout: how long a pod may stay Pending, its {@code prepare} clone included (gitlab-runner's
     * too: Pending lasts until the init containers are done). 20 s failed a plain job as a system failure in a
     * cold CI run on 2 busy cores; a minute still keeps the unschedulable scenario short.
     */
    public static final int POLL_TIMEOUT_SECONDS = 60;
    /** With a shared cache: {@code spec.runner.cache.path}, the prefix of every object name. */
    public static final String CACHE_PATH = "ci/cache";

    private static final String CACHE_SECRET = FLEET + "-cache";

    private final RealNodeCluster cluster;
    private final KubernetesClient client;
    private final TestGitLab gitlab;
    private final TestRepository repository;
    private final String namespace;
    private final RunnerFleetOperator operator;
    private final int replicas;

    private RealClusterFleet(
            RealNodeCluster cluster,
            TestGitLab gitlab,
            TestRepository repository,
            String namespace,
            RunnerFleetOperator operator,
            int replicas) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.gitlab = gitlab;
        this.repository = repository;
        this.namespace = namespace;
        this.operator = operator;
        this.replicas = replicas;
    }

    /** Starts the test GitLab, the operator and the fleet, and waits until every manager is Ready. */
    public static RealClusterFleet start(Path work, Map<String, String> files) throws IOException {
        return start(work, files, null);
    }

    /**
     * As {@link #start(Path, Map)}, with the fleet's shared cache ({@code spec.runner.cache}, type s3) on
     * {@code cache}, which must listen where pods reach it (the bridge); its keys reach the managers from a Secret, as
     * the product expects them. Null: no shared cache.
     */
    public static RealClusterFleet start(Path work, Map<String, String> files, S3ProxyServer cache) throws IOException {
        return start(work, files, cache, UnaryOperator.identity());
    }

    /** As {@link #start(Path, Map)}, with {@code replicas} managers of {@code concurrent} jobs each. */
    public static RealClusterFleet start(Path work, Map<String, String> files, int replicas, int concurrent)
            throws IOException {
        return start(work, files, null, replicas, concurrent, "", UnaryOperator.identity());
    }

    /** As {@link #start(Path, Map, int, int)}, with the fleet changed by {@code customize} before it is created. */
    public static RealClusterFleet start(
            Path work, Map<String, String> files, int replicas, int concurrent, UnaryOperator<RunnerFleet> customize)
            throws IOException {
        return start(work, files, null, replicas, concurrent, "", customize);
    }

    /** As {@link #start(Path, Map, S3ProxyServer)}, with the fleet changed by {@code customize} before it is created. */
    public static RealClusterFleet start(
            Path work, Map<String, String> files, S3ProxyServer cache, UnaryOperator<RunnerFleet> customize)
            throws IOException {
        return start(work, files, cache, REPLICAS, CONCURRENT, "", customize);
    }

    /**
     * As {@link #start(Path, Map, S3ProxyServer)}, with more fields of {@code spec.executor}: YAML lines indented by
     * four spaces, as under {@code executor:} (e.g. {@code "    podSpec: [...]\n"}).
     */
    public static RealClusterFleet start(Path work, Map<String, String> files, S3ProxyServer cache, String executorYaml)
            throws IOException {
        return start(work, files, cache, REPLICAS, CONCURRENT, executorYaml, UnaryOperator.identity());
    }

    private static RealClusterFleet start(
            Path work,
            Map<String, String> files,
            S3ProxyServer cache,
            int replicas,
            int concurrent,
            String executorYaml,
            UnaryOperator<RunnerFleet> customize)
            throws IOException {
        RealNodeCluster cluster = RealNodeCluster.shared();
        Path repositories = work.resolve("repositories");
        TestRepository repository = TestRepository.create(repositories, PROJECT, "main", files);
        TestGitLab gitlab = TestGitLab.builder()
                .bindAddress(cluster.hostIp())
                .repositories(repositories)
                .longPoll(Duration.ofSeconds(20))
                .updateIntervalSeconds(1)
                .start();
        String namespace = cluster.createNamespace("rf-e2e");
        KubernetesClient client = cluster.client();
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(FLEET + "-token")
                        .endMetadata()
                        .addToStringData("token", TestGitLab.RUNNER_TOKEN)
                        .build())
                .create();
        if (cache != null) {
            client.secrets()
                    .inNamespace(namespace)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName(CACHE_SECRET)
                            .endMetadata()
                            .addToStringData(CacheS3Spec.ACCESS_KEY, S3ProxyServer.ACCESS_KEY)
                            .addToStringData(CacheS3Spec.SECRET_KEY, S3ProxyServer.SECRET_KEY)
                            .build())
                    .create();
        }
        RunnerFleetOperator operator = RunnerFleetOperator.start(
                client,
                OperatorConfig.defaults().withWatchNamespaces(Set.of(namespace)).withHealthPort(-1));
        client.resource(customize.apply(fleet(cluster, gitlab, namespace, cache, replicas, concurrent, executorYaml)))
                .create();
        RealClusterFleet fleet = new RealClusterFleet(cluster, gitlab, repository, namespace, operator, replicas);
        fleet.awaitManagersReady(replicas);
        return fleet;
    }

    /**
     * The seed's shape on this machine: 2 managers x 2 jobs (unless a test asks for others), privileged Job Pods for Docker-in-Docker, and the
     * seed's DNS settings with the bridge's dnsmasq as the only nameserver (never the seed's 10.x addresses).
     */
    private static RunnerFleet fleet(
            RealNodeCluster cluster,
            TestGitLab gitlab,
            String namespace,
            S3ProxyServer cache,
            int replicas,
            int concurrent,
            String executorYaml) {
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
                    image: %s
                  runner:
                    outputLimit: 65536
                    # The scenarios read lines by their start and fill 50 MB of the 64 MiB limit; per-line
                    # timestamps (gitlab-runner's default) are tested on the manager harness (TimestampedTraceTest).
                    featureFlags: {FF_TIMESTAMPS: false}%s
                  executor:
                    image: %s
                    helperImage: %s
                    privileged: true
                    pullPolicy: [if-not-present]
                    pollTimeout: %d
                    build:
                      cpuRequest: 50m
                      memoryRequest: 32Mi
                      memoryLimit: 1Gi
                      cpuRequestOverwriteMaxAllowed: "1000"
                      memoryLimitOverwriteMaxAllowed: 1Gi
                      memoryRequestOverwriteMaxAllowed: 1Gi
                    helper:
                      cpuRequest: 10m
                      memoryRequest: 16Mi
                    dns:
                      policy: None
                      nameservers: [%s]
                      searches: [%s.svc.cluster.local, svc.cluster.local, cluster.local]
                      options:
                        - name: ndots
                          value: "2"
                %s""".formatted(
                        FLEET,
                        namespace,
                        gitlab.url(),
                        FLEET,
                        replicas,
                        concurrent,
                        cluster.runnerFleetImage(),
                        cache == null ? "" : cacheYaml(cache),
                        cluster.buildImage(),
                        cluster.helperImage(),
                        POLL_TIMEOUT_SECONDS,
                        cluster.dnsIp(),
                        namespace,
                        executorYaml);
        return Serialization.unmarshal(yaml, RunnerFleet.class);
    }

    /** {@code spec.runner.cache}, indented under {@code runner:}; path-style, plain http, as s3proxy serves. */
    private static String cacheYaml(S3ProxyServer cache) {
        // Indented by hand: the fleet's text block inserts it as is, under its "runner:".
        return String.join(
                "\n    ",
                "",
                "cache:",
                "  type: s3",
                "  path: " + CACHE_PATH,
                "  s3:",
                "    serverAddress: " + cache.address(),
                "    bucketName: " + cache.bucket(),
                "    insecure: true",
                "    pathStyle: true",
                "    credentialsSecret: " + CACHE_SECRET);
    }

    public RealNodeCluster cluster() {
        return cluster;
    }

    public KubernetesClient client() {
        return client;
    }

    /** How many managers the fleet was started with. */
    public int replicas() {
        return replicas;
    }

    public TestGitLab gitlab() {
        return gitlab;
    }

    /** The namespace of the fleet, its managers and its Job Pods. */
    public String namespace() {
        return namespace;
    }

    /** A job on the test repository, run in the build image, with a timeout the tests can wait out. */
    public TestJob.Builder job() {
        return TestJob.builder()
                .project(42, PROJECT)
                .repo(gitlab.repositoryUrl(PROJECT), repository.ref(), repository.sha())
                .image(cluster.buildImage())
                .timeoutSeconds(600);
    }

    /** Enqueues the job and waits for its final state; the Job Pod and its Secret must be gone by then. */
    public TestGitLab.JobView run(TestJob job, Duration within) {
        gitlab.enqueue(job);
        return awaitFinal(job.id(), within);
    }

    public TestGitLab.JobView awaitFinal(long jobId, Duration within) {
        TestGitLab.JobView view = await("job " + jobId + " final")
                .atMost(within)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> gitlab.job(jobId),
                        v -> !v.state().equals(TestGitLab.State.PENDING)
                                && !v.state().equals(TestGitLab.State.RUNNING)
                                && !v.state().equals(TestGitLab.State.CANCELING));
        String name = JobPodNames.podName(FLEET, jobId);
        await("Job Pod and Secret of job " + jobId + " deleted")
                .atMost(Duration.ofSeconds(60))
                .until(() -> client.pods().inNamespace(namespace).withName(name).get() == null
                        && client.secrets()
                                        .inNamespace(namespace)
                                        .withName(name)
                                        .get()
                                == null);
        return view;
    }

    public Pod jobPod(long jobId) {
        return client.pods()
                .inNamespace(namespace)
                .withName(JobPodNames.podName(FLEET, jobId))
                .get();
    }

    public List<Pod> managerPods() {
        return client
                .pods()
                .inNamespace(namespace)
                .withLabel(FleetLabels.APP_COMPONENT, FleetLabels.COMPONENT_MANAGER)
                .withLabel(FleetLabels.FLEET, FLEET)
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    public void awaitManagersReady(int ready) {
        await("fleet managers ready")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> managerDeployments().stream()
                                .mapToInt(d ->
                                        d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                                                ? 0
                                                : d.getStatus().getReadyReplicas())
                                .sum(),
                        n -> n == ready);
    }

    public List<Deployment> managerDeployments() {
        return client.apps().deployments().inNamespace(namespace).list().getItems().stream()
                .filter(d -> d.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> RunnerFleet.KIND.equals(o.getKind())))
                .toList();
    }

    /**
     * Writes the log of every manager pod of the fleet to {@code target/real-cluster-logs/<label>-<pod>.log}, so a
     * failed scenario can be read afterwards (the pods go with the namespace). A manager that was force-deleted has
     * no log left; its peer's and its replacement's are there.
     */
    public void keepManagerLogs(String label) {
        Path dir = Path.of("target", "real-cluster-logs");
        try {
            Files.createDirectories(dir);
            for (Pod pod : managerPods()) {
                String name = pod.getMetadata().getName();
                String log = client.pods().inNamespace(namespace).withName(name).getLog();
                Files.writeString(dir.resolve(label.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + name + ".log"), log);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not keep the managers' logs for " + label + ": " + e);
        }
    }

    @Override
    public void close() {
        operator.close();
        gitlab.close();
        client.namespaces().withName(namespace).delete();
        assertThat(namespace).isNotBlank();
    }
}
