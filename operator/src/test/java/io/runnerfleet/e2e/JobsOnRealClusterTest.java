package io.runnerfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.jobpod.JobPodNames;
import io.runnerfleet.manager.ManagerLease;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealClusterFleet;
import io.runnerfleet.testing.RealNodeCluster;
import io.runnerfleet.testing.S3ProxyServer;
import io.runnerfleet.testing.gitlab.TestGitLab.JobView;
import io.runnerfleet.testing.gitlab.TestGitLab.State;
import io.runnerfleet.testing.gitlab.TestJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real jobs on a real kubelet: the seed-shaped fleet of {@link RealClusterFleet} on the test cluster of
 * {@code src/test-cluster/}, one scenario per test, each checking what GitLab got and that the Job Pod and its Secret
 * are gone afterwards. The fleet is deleted last.
 */
@External.RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsOnRealClusterTest {
    private static final String DOCKERFILE = "FROM scratch\nCOPY hello.txt /hello.txt\n";
    private static final String CACHE_BUCKET = "runner-cache";

    @TempDir
    static Path work;

    private S3ProxyServer cacheServer;
    private RealClusterFleet fleet;

    /** The fleet's shared cache is a real S3 server on the bridge, where the Job Pods reach it. */
    @BeforeAll
    void startFleet() throws Exception {
        cacheServer = S3ProxyServer.start(
                RealNodeCluster.shared().hostIp(), Files.createDirectories(work.resolve("s3")), CACHE_BUCKET);
        fleet = RealClusterFleet.start(
                work, Map.of("Dockerfile", DOCKERFILE, "hello.txt", "hello from the repo\n"), cacheServer);
    }

    @AfterEach
    void keepManagerLogs(TestInfo test) {
        if (fleet != null) {
            fleet.keepManagerLogs(test.getTestMethod().map(m -> m.getName()).orElse("scenario"));
        }
    }

    @AfterAll
    void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
        if (cacheServer != null) {
            cacheServer.close();
        }
    }

    /**
     * The seed's problem: dockerd in a DinD service must resolve the registry through the pod's DNS. The registry's
     * name exists only in the bridge's dnsmasq.
     */
    @Test
    @Order(1)
    void dindBuildsAndPushesToARegistryThatOnlyThePodsDnsKnows() throws Exception {
        String registryName = "registry.e2e.runner-fleet.test";
        fleet.cluster().addDnsName(registryName, fleet.cluster().hostIp().getHostAddress());
        String port =
                fleet.cluster().registry().substring(fleet.cluster().registry().lastIndexOf(':') + 1);
        String tag = "job-" + System.nanoTime();
        String image = registryName + ":" + port + "/acme/shop:" + tag;
        TestJob job = fleet.job()
                .name("docker-build")
                .service(
                        fleet.cluster().dindImage(),
                        "docker",
                        "--tls=false",
                        "--insecure-registry=" + registryName + ":" + port)
                .variable("DOCKER_HOST", "tcp://docker:2375", true, false)
                .variable("DOCKER_TLS_CERTDIR", "", true, false)
                .script(
                        "cat /etc/resolv.conf",
                        "docker info",
                        "docker build -t " + image + " .",
                        "docker push " + image)
                .build();

        JobView view = fleet.run(job, Duration.ofMinutes(5));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
        assertThat(view.finalUpdates()).isEqualTo(1);
        assertThat(trace)
                .contains("nameserver " + fleet.cluster().dnsIp())
                .contains("options ndots:2")
                .contains("Server Version")
                .contains("section_start:")
                .contains("section_end:")
                .doesNotContain("10.0.0.2");
        assertThat(registryTags("acme/shop")).contains("\"" + tag + "\"");
    }

    @Test
    @Order(2)
    void aFailingScriptIsAScriptFailureWithItsExitCodeAndAfterScriptRuns() {
        TestJob job = fleet.job()
                .name("fails")
                .script("echo before-exit", "exit 3")
                .afterScript("echo after-script-ran")
                .build();

        JobView view = fleet.run(job, Duration.ofMinutes(3));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.FAILED);
        assertThat(view.failureReason()).as(trace).isEqualTo("script_failure");
        assertThat(view.exitCode()).isEqualTo(3);
        assertThat(trace).contains("before-exit").contains("after-script-ran");
    }

    @Test
    @Order(3)
    void aJobPastItsTimeoutIsAJobExecutionTimeout() {
        TestJob job = fleet.job()
                .name("too-long")
                .timeoutSeconds(10)
                .script("echo started", "sleep 600")
                .afterScript("echo \"after_script sees $CI_JOB_STATUS\"")
                .build();
        Instant start = Instant.now();

        JobView view = fleet.run(job, Duration.ofMinutes(4));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.FAILED);
        assertThat(view.failureReason()).as(trace).isEqualTo("job_execution_timeout");
        assertThat(trace).contains("after_script sees timedout").contains("execution took longer than");
        assertThat(Duration.between(start, Instant.now()))
                .as("stopped at its timeout by the build script, not at the pod's deadline")
                .isLessThan(Duration.ofSeconds(60));
    }

    @Test
    @Order(4)
    void aCancelInGitLabStopsThePodAndEndsTheJobAsCanceled() {
        TestJob job = fleet.job()
                .name("canceled")
                .script("echo started-and-waiting", "sleep 600")
                .build();
        fleet.gitlab().enqueue(job);
        await("script running")
                .atMost(Duration.ofMinutes(3))
                .until(() -> fleet.gitlab().traceText(job.id()).contains("started-and-waiting"));

        fleet.gitlab().cancel(job.id());
        // Within 2 minutes, so not by its `sleep 600` running out; how fast is not a test's business.
        JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(2));

        assertThat(view.state()).isEqualTo(State.CANCELED);
        assertThat(fleet.gitlab().traceText(job.id())).doesNotContain("Job succeeded");
    }

    @Test
    @Order(5)
    void anImageThatExistsNowhereIsAnImagePullFailureWithTheKubeletsEvent() {
        TestJob job = fleet.job()
                .name("no-image")
                .image(fleet.cluster().registry() + "/nowhere/missing:1")
                .build();
        Instant start = Instant.now();
        fleet.gitlab().enqueue(job);
        await().atMost(Duration.ofMinutes(2))
                .until(() -> fleet.gitlab().job(job.id()).handedOut());
        Instant pickedUp = Instant.now();

        JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(2));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.FAILED);
        assertThat(view.failureReason()).as(trace).isEqualTo("image_pull_failure");
        assertThat(trace).contains("nowhere/missing:1");
        assertThat(Duration.between(pickedUp, Instant.now()))
                .as("from pickup, started " + start)
                .isLessThan(Duration.ofSeconds(60));
    }

    @Test
    @Order(6)
    void aRequestLargerThanTheNodeIsASystemFailureNamingTheSchedulersReason() {
        TestJob job = fleet.job()
                .name("too-big")
                .variable("KUBERNETES_CPU_REQUEST", "500", true, false)
                .build();

        JobView view = fleet.run(job, Duration.ofMinutes(3));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.FAILED);
        assertThat(view.failureReason()).as(trace).isEqualTo("runner_system_failure");
        assertThat(trace).contains("Unschedulable").contains("Insufficient cpu");
    }

    @Test
    @Order(7)
    void aBuildOverItsMemoryLimitFailsPromptlyAndSaysItWasOomKilled() {
        TestJob job = fleet.job()
                .name("oom")
                .timeoutSeconds(3600)
                .variable("KUBERNETES_MEMORY_LIMIT", "32Mi", true, false)
                .variable("KUBERNETES_MEMORY_REQUEST", "32Mi", true, false)
                .script("echo filling-memory", "tail /dev/zero")
                .build();
        Instant start = Instant.now();

        JobView view = fleet.run(job, Duration.ofMinutes(3));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.FAILED);
        assertThat(trace).contains("OOMKilled");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMinutes(2));
    }

    /** 50 MB in 1 MB bursts, so the kubelet rotates the container log (5 MiB) while the manager follows it. */
    @Test
    @Order(8)
    void fiftyMegabytesOfOutputReachGitLabEveryByteInOrderAcrossLogRotations() {
        int chunks = 50;
        int linesPerChunk = 14_000;
        String payload = "x".repeat(64);
        TestJob job = fleet.job()
                .name("loud")
                .script(
                        "i=0; while [ $i -lt " + chunks + " ]; do awk -v c=$i 'BEGIN { for (n = 0; n < " + linesPerChunk
                                + "; n++) printf \"%09d " + payload + "\\n\", c * " + linesPerChunk + " + n }'; "
                                + "i=$((i + 1)); sleep 0.4; done",
                        "echo all-printed")
                .build();

        JobView view = fleet.run(job, Duration.ofMinutes(8));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).isEqualTo(State.SUCCESS);
        Matcher lines = Pattern.compile("(?m)^(\\d{9}) " + payload + "\r?$").matcher(trace);
        long expected = 0;
        while (lines.find()) {
            int at = lines.start();
            long previous = expected - 1;
            // On a mismatch, what the trace holds around it tells a lost line from a broken or altered one.
            assertThat(Long.parseLong(lines.group(1)))
                    .as(() -> "line after " + previous + "; the trace there:\n"
                            + trace.substring(Math.max(0, at - 300), Math.min(trace.length(), at + 200)))
                    .isEqualTo(expected);
            expected++;
        }
        assertThat(expected).isEqualTo((long) chunks * linesPerChunk);
        assertThat(trace).contains("all-printed");
    }

    @Test
    @Order(9)
    void aForceDeletedManagerIsReplacedAndItsJobAdoptedWithACompleteTrace() {
        TestJob job = fleet.job()
                .name("survivor")
                .script("echo before-the-kill", "sleep 25", "echo after-the-kill")
                .build();
        fleet.gitlab().enqueue(job);
        await("script running")
                .atMost(Duration.ofMinutes(3))
                .until(() -> fleet.gitlab().traceText(job.id()).contains("before-the-kill"));
        Pod jobPod = fleet.jobPod(job.id());
        String manager = jobPod.getMetadata().getAnnotations().get(FleetLabels.MANAGER);
        assertThat(manager).isNotBlank();
        String managerUid = fleet.client()
                .pods()
                .inNamespace(fleet.namespace())
                .withName(manager)
                .get()
                .getMetadata()
                .getUid();
        assertThat(managerLease(manager).getMetadata().getOwnerReferences())
                .as("the manager's Lease is its pod's, so the garbage collector takes it along")
                .singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(managerUid));

        fleet.client()
                .pods()
                .inNamespace(fleet.namespace())
                .withName(manager)
                .withGracePeriod(0)
                .delete();

        JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(4));
        await("the killed manager's Lease gone with its pod")
                .atMost(Duration.ofMinutes(1))
                .until(() -> managerLease(manager) == null);
        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
        assertThat(view.finalUpdates()).isEqualTo(1);
        assertThat(trace).contains("before-the-kill").contains("after-the-kill");
        assertThat(Pattern.compile("(?m)^before-the-kill\r?$")
                        .matcher(trace)
                        .results()
                        .count())
                .as("the output line once, though the adopter read the log again")
                .isEqualTo(1);
        fleet.awaitManagersReady(RealClusterFleet.REPLICAS);
    }

    /**
     * Issue #15: the manager dies while the build prints 12 MB, more than the kubelet keeps in its current log file
     * ({@code containerLogMaxSize: 5Mi} in {@code src/test-cluster/up.sh}); the script then sleeps while the kubelet
     * rotates. The adopter cannot get the first lines from the log API any more; it reads them from the build's log
     * file, so the trace has every line once and in order.
     */
    @Test
    @Order(10)
    void aJobAdoptedAfterItsLogWasRotatedAwayHasEveryLineInOrder() {
        int chunks = 12;
        int linesPerChunk = 14_000;
        String payload = "y".repeat(64);
        TestJob job = fleet.job()
                .name("rotated-survivor")
                .script(
                        "i=0; while [ $i -lt " + chunks + " ]; do awk -v c=$i 'BEGIN { for (n = 0; n < " + linesPerChunk
                                + "; n++) printf \"%09d " + payload + "\\n\", c * " + linesPerChunk + " + n }'; "
                                + "i=$((i + 1)); sleep 0.2; done",
                        "sleep 40",
                        "echo after-the-rotation")
                .build();
        fleet.gitlab().enqueue(job);
        await("first lines in the trace")
                .atMost(Duration.ofMinutes(3))
                .until(() -> fleet.gitlab().traceText(job.id()).contains("000000100 " + payload));
        String manager = fleet.jobPod(job.id()).getMetadata().getAnnotations().get(FleetLabels.MANAGER);
        fleet.client()
                .pods()
                .inNamespace(fleet.namespace())
                .withName(manager)
                .withGracePeriod(0)
                .delete();

        JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(5));
        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).isEqualTo(State.SUCCESS);
        assertThat(view.finalUpdates()).isEqualTo(1);
        Matcher lines = Pattern.compile("(?m)^(\\d{9}) " + payload + "\r?$").matcher(trace);
        long expected = 0;
        while (lines.find()) {
            int at = lines.start();
            long previous = expected - 1;
            assertThat(Long.parseLong(lines.group(1)))
                    .as(() -> "line after " + previous + "; the trace there:\n"
                            + trace.substring(Math.max(0, at - 300), Math.min(trace.length(), at + 200)))
                    .isEqualTo(expected);
            expected++;
        }
        assertThat(expected).isEqualTo((long) chunks * linesPerChunk);
        assertThat(trace).contains("after-the-rotation");
        fleet.awaitManagersReady(RealClusterFleet.REPLICAS);
    }

    /**
     * The build container's first process (the build script) killed with SIGKILL from outside, as a runtime does: the
     * container ends with reason Error, exit code 137 and no exit-code file for the helper. The job ends within
     * seconds from the pod's status as gitlab-runner reports it, not at the job's timeout.
     */
    @Test
    @Order(11)
    void aBuildKilledAsAWholeBySigkillEndsTheJobAtOnceAsASystemFailure() {
        TestJob job = fleet.job()
                .name("sigkilled")
                .timeoutSeconds(3600)
                .script("echo before-the-sigkill", "sleep 600")
                .build();
        fleet.gitlab().enqueue(job);
        await("script running")
                .atMost(Duration.ofMinutes(3))
                .until(() -> fleet.gitlab().traceText(job.id()).contains("before-the-sigkill"));
        String containerId = fleet.jobPod(job.id()).getStatus().getContainerStatuses().stream()
                .filter(c -> c.getName().equals("build"))
                .findFirst()
                .orElseThrow()
                .getContainerID();

        fleet.cluster().killFirstProcess(containerId);

        // within two minutes, so from the pod's status and not at the job's timeout of an hour
        JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(2));
        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.FAILED);
        assertThat(view.failureReason()).as(trace).isEqualTo("runner_system_failure");
        assertThat(trace)
                .contains("before-the-sigkill")
                .contains("ERROR: Job failed (system failure): Error in container build: exit code: 137, reason: "
                        + "'Error'");
    }

    /**
     * Pull policy fallback as gitlab-runner's: the build image exists only in the node's containerd (no registry
     * serves it), so {@code always} fails to pull it and the Job Pod is made again with {@code if-not-present}, which
     * finds it. The helper image's containers follow the job's image's policies, so each moves on in turn.
     */
    @Test
    @Order(12)
    void anImageOnlyTheNodeHasRunsAfterFallingBackFromAlwaysToIfNotPresent() {
        String image = fleet.cluster().buildImage();
        TestJob job = fleet.job()
                .name("pull-fallback")
                .image(image, "always", "if-not-present")
                .script("echo ran-after-the-fallback")
                .build();

        JobView view = fleet.run(job, Duration.ofMinutes(4));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
        assertThat(view.finalUpdates()).isEqualTo(1);
        assertThat(trace)
                .contains("Failed to pull image \"" + image + "\" for container \"build\" with policy \"Always\"")
                .contains("Trying \"IfNotPresent\" pull policy for \"" + image + "\" image for container \"build\"")
                .contains("ran-after-the-fallback");
    }

    /**
     * A service (a native sidecar) that exits while the build runs: Kubernetes restarts it, the job's result is the
     * script's, as gitlab-runner's, and the trace ends naming the service and its exit.
     */
    @Test
    @Order(13)
    void aServiceThatExitsDuringTheBuildLeavesTheResultToTheScriptAndTheTraceNamesIt() {
        String image = fleet.cluster().buildImage();
        TestJob job = fleet.job()
                .name("flaky-service")
                .service(image, "flaky", "sh", "-c", "echo flaky-started; sleep 1; exit 3")
                .script("echo building-without-the-service", "sleep 20", "echo build-done")
                .build();

        JobView view = fleet.run(job, Duration.ofMinutes(4));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
        assertThat(trace)
                .contains("build-done")
                .contains("WARNING: service flaky (" + image + ") exited with code 3 (Error)")
                .contains("A service that exits does not fail the job by itself");
    }

    /**
     * A job's image in a registry that requires auth (the test cluster's second registry, htpasswd), pulled with the
     * job payload's {@code credentials} of type {@code registry} as GitLab sends them: through the per-job
     * {@code kubernetes.io/dockerconfigjson} Secret in the pod's {@code imagePullSecrets}, deleted with the pod.
     * gitlab-runner's Kubernetes executor does the same ({@code executors/kubernetes/kubernetes.go},
     * {@code setupCredentials}).
     */
    @Test
    @Order(14)
    void anImageInARegistryThatRequiresAuthIsPulledWithTheJobsRegistryCredentials() {
        String image = fleet.cluster().privateBuildImage("job-creds-" + System.nanoTime());
        TestJob job = fleet.job()
                .name("private-image")
                .image(image)
                .registryCredentials(
                        fleet.cluster().authRegistry(),
                        fleet.cluster().authRegistryUser(),
                        fleet.cluster().authRegistryPassword())
                .script("echo ran-in-the-private-image")
                .build();
        fleet.gitlab().enqueue(job);
        String pullSecret = JobPodNames.registrySecretName(RealClusterFleet.FLEET, job.id());
        await("pull Secret " + pullSecret + " created")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> secret(pullSecret) != null);

        JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(4));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
        assertThat(trace).contains("ran-in-the-private-image");
        awaitDeleted(pullSecret);
    }

    /**
     * Without credentials, or with a wrong password, the node's pull is refused (401): gitlab-runner's
     * {@code image_pull_failure}, and the trace names the image and the kubelet's reason.
     */
    @Test
    @Order(15)
    void anImageInARegistryThatRequiresAuthIsAnImagePullFailureWithoutOrWithWrongCredentials() {
        String image = fleet.cluster().privateBuildImage("no-creds-" + System.nanoTime());
        TestJob withoutCredentials =
                fleet.job().name("private-image-anonymous").image(image).build();
        TestJob wrongPassword = fleet.job()
                .name("private-image-wrong-password")
                .image(image)
                .registryCredentials(
                        fleet.cluster().authRegistry(), fleet.cluster().authRegistryUser(), "not-the-password")
                .build();

        for (TestJob job : List.of(withoutCredentials, wrongPassword)) {
            JobView view = fleet.run(job, Duration.ofMinutes(3));

            String trace = fleet.gitlab().traceText(job.id());
            assertThat(view.state()).as(trace).isEqualTo(State.FAILED);
            assertThat(view.failureReason()).as(trace).isEqualTo("image_pull_failure");
            assertThat(trace).contains(image).containsIgnoringCase("401 Unauthorized");
            awaitDeleted(JobPodNames.registrySecretName(RealClusterFleet.FLEET, job.id()));
        }
    }

    /**
     * Issue #14's pair of jobs sharing a cache, each in its own Job Pod: job 1 (policy {@code push}, key
     * {@code $CI_COMMIT_REF_SLUG}) writes {@code vendor/}, its {@code helper} archives it and PUTs it with the URL
     * the manager presigned; job 2 (policy {@code pull}, the same key) has its {@code prepare} GET and extract it,
     * and its script checks the content. The object is in the bucket under gitlab-runner's name
     * ({@code <Path>/runner/<short token>/project/<id>/<key>}, {@code cache/cache.go}), and job 3, on another branch
     * (so another key), finds nothing. The helper image's {@code gitlab-runner-helper} is the tests' stand-in
     * (src/test-cluster/build.sh); the URLs, the Secret, the scripts and s3proxy's signature checks are real.
     */
    @Test
    @Order(16)
    void aPairOfJobsInTwoPodsShareACacheThroughS3ByKeyAndAnotherKeySeesNothing() {
        String content = "cached-by-job-1-" + System.nanoTime();
        TestJob save = fleet.job()
                .name("cache-save")
                .variable("CI_COMMIT_REF_SLUG", "main", true, false)
                .cache("$CI_COMMIT_REF_SLUG", "push", "vendor/")
                .script(
                        "mkdir -p vendor/lib",
                        "echo " + content + " > vendor/lib/dep.txt",
                        "echo runner-short-token=$CI_RUNNER_SHORT_TOKEN")
                .build();

        JobView saved = fleet.run(save, Duration.ofMinutes(4));

        String saveTrace = fleet.gitlab().traceText(save.id());
        assertThat(saved.state()).as(saveTrace).isEqualTo(State.SUCCESS);
        assertThat(saveTrace)
                .contains("Creating cache main...", "Created cache")
                .doesNotContain("Failed to create");
        Matcher token =
                Pattern.compile("(?m)^runner-short-token=([A-Za-z0-9_-]+)\\r?$").matcher(saveTrace);
        assertThat(token.find()).as(saveTrace).isTrue();
        String object = "/" + CACHE_BUCKET + "/" + RealClusterFleet.CACHE_PATH + "/runner/" + token.group(1)
                + "/project/42/main";
        assertThat(cacheServer
                        .send("HEAD", object, S3ProxyServer.SECRET_KEY, Instant.now(), 60)
                        .statusCode())
                .as("the archive is in the bucket under gitlab-runner's object name " + object)
                .isEqualTo(200);

        TestJob restore = fleet.job()
                .name("cache-restore")
                .variable("CI_COMMIT_REF_SLUG", "main", true, false)
                .cache("$CI_COMMIT_REF_SLUG", "pull", "vendor/")
                .script(
                        "echo \"restored: $(cat vendor/lib/dep.txt)\"",
                        "test \"$(cat vendor/lib/dep.txt)\" = " + content)
                .build();

        JobView restored = fleet.run(restore, Duration.ofMinutes(4));

        String restoreTrace = fleet.gitlab().traceText(restore.id());
        assertThat(restored.state()).as(restoreTrace).isEqualTo(State.SUCCESS);
        assertThat(restoreTrace)
                .contains("Checking cache for main...", "Successfully extracted cache", "restored: " + content)
                .contains("Not uploading cache main due to policy");

        TestJob otherBranch = fleet.job()
                .name("cache-other-key")
                .variable("CI_COMMIT_REF_SLUG", "feature-x", true, false)
                .cache("$CI_COMMIT_REF_SLUG", "pull", "vendor/")
                .script(
                        "if [ -e vendor/lib/dep.txt ]; then echo found-another-keys-cache; exit 1; fi",
                        "echo no-cache-here")
                .build();

        JobView other = fleet.run(otherBranch, Duration.ofMinutes(4));

        String otherTrace = fleet.gitlab().traceText(otherBranch.id());
        assertThat(other.state()).as(otherTrace).isEqualTo(State.SUCCESS);
        assertThat(otherTrace)
                .contains("Checking cache for feature-x...", "WARNING: Failed to extract cache", "no-cache-here")
                .doesNotContain("Successfully extracted cache");
    }

    private Secret secret(String name) {
        return fleet.client()
                .secrets()
                .inNamespace(fleet.namespace())
                .withName(name)
                .get();
    }

    private void awaitDeleted(String secretName) {
        await("Secret " + secretName + " deleted with the job")
                .atMost(Duration.ofSeconds(60))
                .until(() -> secret(secretName) == null);
    }

    /**
     * Deleting the fleet removes its managers, RBAC, config and Service; a Job Pod running then finishes its script
     * (README, Uninstall): nobody is left to report it, so GitLab times the job out.
     */
    @Test
    @Order(100)
    void deletingTheFleetRemovesItsObjectsAndLetsARunningJobPodFinish() {
        TestJob job = fleet.job()
                .name("outlives-fleet")
                .script("echo running-when-deleted", "sleep 10")
                .build();
        fleet.gitlab().enqueue(job);
        await("script running")
                .atMost(Duration.ofMinutes(3))
                .until(() -> fleet.gitlab().traceText(job.id()).contains("running-when-deleted"));

        fleet.client()
                .resources(RunnerFleet.class)
                .inNamespace(fleet.namespace())
                .withName(RealClusterFleet.FLEET)
                .delete();

        await("fleet objects deleted")
                .atMost(Duration.ofMinutes(2))
                .until(() -> fleet.managerDeployments().isEmpty()
                        && fleet.client()
                                .configMaps()
                                .inNamespace(fleet.namespace())
                                .withLabel(FleetLabels.FLEET, RealClusterFleet.FLEET)
                                .list()
                                .getItems()
                                .isEmpty()
                        && fleet.client()
                                .rbac()
                                .roles()
                                .inNamespace(fleet.namespace())
                                .withLabel(FleetLabels.FLEET, RealClusterFleet.FLEET)
                                .list()
                                .getItems()
                                .isEmpty()
                        && fleet.client()
                                .rbac()
                                .roleBindings()
                                .inNamespace(fleet.namespace())
                                .withLabel(FleetLabels.FLEET, RealClusterFleet.FLEET)
                                .list()
                                .getItems()
                                .isEmpty()
                        && fleet.managerPods().isEmpty());
        await("the Job Pod finishes its script")
                .atMost(Duration.ofMinutes(2))
                .until(() ->
                        "Succeeded".equals(fleet.jobPod(job.id()).getStatus().getPhase()));
        assertThat(fleet.gitlab().state(job.id()))
                .as("no manager is left to report it")
                .isEqualTo(State.RUNNING);

        // README, Uninstall: what is left of such jobs goes by the fleet's label.
        Map<String, String> selector =
                Map.of(FleetLabels.FLEET, RealClusterFleet.FLEET, FleetLabels.APP_COMPONENT, FleetLabels.COMPONENT_JOB);
        fleet.client()
                .pods()
                .inNamespace(fleet.namespace())
                .withLabels(selector)
                .delete();
        fleet.client()
                .secrets()
                .inNamespace(fleet.namespace())
                .withLabels(selector)
                .delete();
        await("left-over Job Pod and Secret deleted")
                .atMost(Duration.ofMinutes(1))
                .until(() -> fleet.client()
                                .pods()
                                .inNamespace(fleet.namespace())
                                .withLabels(selector)
                                .list()
                                .getItems()
                                .isEmpty()
                        && fleet.client()
                                .secrets()
                                .inNamespace(fleet.namespace())
                                .withLabels(selector)
                                .list()
                                .getItems()
                                .isEmpty());
    }

    private String registryTags(String repository) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://" + fleet.cluster().registry() + "/v2/" + repository + "/tags/list"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private Lease managerLease(String manager) {
        return fleet.client()
                .leases()
                .inNamespace(fleet.namespace())
                .withName(ManagerLease.leaseName(manager))
                .get();
    }
}
