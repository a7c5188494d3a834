package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.runnerfleet.api.v1alpha1.CacheS3Spec;
import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.CacheType;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.KubeletExpansion;
import io.runnerfleet.testing.S3ProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared cache's round trip on a real S3 server that checks signatures ({@link S3ProxyServer}, on loopback):
 * the URLs the manager signs for a Job Pod ({@link SharedCache}, {@link S3Presigner}) reach the generated
 * {@code helper} and {@code prepare} scripts through the job's Secret, as in a pod; the scripts run under real
 * {@code sh} with the stand-in {@code gitlab-runner-helper} of {@link GeneratedScriptsTest}, which PUTs and GETs the
 * archive as gitlab-runner's {@code cache-archiver} / {@code cache-extractor --url} do. A URL signed with a wrong
 * secret key, or one past its expiry, is refused by the server, so a passing round trip means the signatures are
 * really right.
 */
@External.S3
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedCacheOnRealS3Test {
    private static final String BUCKET = "runner-cache";
    private static final String SHORT_TOKEN = "t3stt0ken";

    @TempDir
    static Path serverDir;

    @TempDir
    Path tmp;

    private S3ProxyServer s3;

    @BeforeAll
    void startServer() throws IOException {
        s3 = S3ProxyServer.start(InetAddress.getLoopbackAddress(), serverDir, BUCKET);
    }

    @AfterAll
    void stopServer() {
        if (s3 != null) {
            s3.close();
        }
    }

    @BeforeEach
    void helperOnPath() throws IOException {
        Path helper = Files.createDirectories(tmp.resolve("bin")).resolve("gitlab-runner-helper");
        Files.copy(Path.of(GeneratedScriptsTest.FAKE_HELPER), helper);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theHelperUploadsWithThePresignedPutAndTheNextJobsPrepareDownloadsWithTheGet() throws Exception {
        SharedCache cache = cache(S3ProxyServer.SECRET_KEY, Instant.now());
        String key = "deps-" + System.nanoTime();

        Run saved = save(cachedJob(key), cache);
        assertThat(saved.output()).as(saved.output()).contains("Creating cache " + key + "...", "Created cache");
        String object = "/" + BUCKET + "/ci/cache/runner/" + SHORT_TOKEN + "/project/5/" + key;
        assertThat(s3.send("HEAD", object, S3ProxyServer.SECRET_KEY, Instant.now(), 60)
                        .statusCode())
                .as("the archive is in the bucket under gitlab-runner's object name")
                .isEqualTo(200);

        Run restored = restore(cachedJob(key), cache(S3ProxyServer.SECRET_KEY, Instant.now()));
        assertThat(restored.exitCode()).as(restored.output()).isZero();
        assertThat(restored.output()).contains("Checking cache for " + key + "...", "Successfully extracted cache");
        assertThat(projectDir().resolve("vendor/lib/dep.txt")).hasContent("cached by job one");
    }

    @Test
    void aUrlSignedWithAWrongSecretKeyIsRefusedByTheServer() throws Exception {
        String key = "wrong-key-" + System.nanoTime();

        Run saved = save(cachedJob(key), cache("not-the-secret-key", Instant.now()));
        assertThat(saved.output()).contains("Retrying... error=received: 403", "WARNING: Failed to create cache");
        HttpResponse<String> refused =
                s3.send("PUT", "/" + BUCKET + "/ci/cache/" + key, "not-the-secret-key", Instant.now(), 60);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("SignatureDoesNotMatch");

        // The archive is there now, signed right; a GET signed wrong still gets nothing.
        assertThat(save(cachedJob(key), cache(S3ProxyServer.SECRET_KEY, Instant.now()))
                        .output())
                .contains("Created cache");
        Run restored = restore(cachedJob(key), cache("not-the-secret-key", Instant.now()));
        assertThat(restored.output()).contains("WARNING: Failed to extract cache");
        assertThat(projectDir().resolve("vendor/lib/dep.txt")).doesNotExist();
    }

    @Test
    void anExpiredUrlIsRefusedByTheServer() throws Exception {
        String key = "expired-" + System.nanoTime();
        assertThat(save(cachedJob(key), cache(S3ProxyServer.SECRET_KEY, Instant.now()))
                        .output())
                .contains("Created cache");

        // Signed for a job of 600 s that started 8 days ago: the URL's X-Amz-Expires is long past.
        Run restored = restore(
                cachedJob(key), cache(S3ProxyServer.SECRET_KEY, Instant.now().minus(Duration.ofDays(8))));
        assertThat(restored.output()).contains("Retrying... error=received: 403", "WARNING: Failed to extract cache");
        assertThat(projectDir().resolve("vendor/lib/dep.txt")).doesNotExist();
        HttpResponse<String> expired = s3.send(
                "GET",
                "/" + BUCKET + "/anything",
                S3ProxyServer.SECRET_KEY,
                Instant.now().minusSeconds(120),
                60);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("Request has expired");
    }

    private SharedCache cache(String secretKey, Instant signedAt) {
        CacheSpec spec = new CacheSpec(
                CacheType.S3,
                "ci/cache",
                false,
                0L,
                new CacheS3Spec(s3.address(), BUCKET, "", true, null, "cache-keys"),
                null,
                null);
        return SharedCache.of(spec, S3ProxyServer.ACCESS_KEY, secretKey, signedAt);
    }

    private static ObjectNode cachedJob(String key) {
        ObjectNode job = minimal();
        // Only the cache is under test: no clone (prepare still restores, as gitlab-runner's with GIT_STRATEGY=none).
        variable(job, "GIT_STRATEGY", "none");
        ObjectNode cache = job.putArray("cache").addObject();
        cache.put("key", key);
        cache.putArray("paths").add("vendor/");
        return job;
    }

    private JobPodContext context(SharedCache cache) {
        return TestJobs.context(JobPodBuilderTest.PLAIN)
                .withRunner(new JobPodContext.Runner(SHORT_TOKEN, "18.3.0", "abcdef12", "amd64"))
                .withSharedCache(cache);
    }

    /** Job one's pod: the build left {@code vendor/} and exit code 0; its {@code helper} saves. */
    private Run save(ObjectNode job, SharedCache cache) throws Exception {
        deleteTree(tmp.resolve("builds"));
        Files.createDirectories(projectDir().resolve("vendor/lib"));
        Files.writeString(projectDir().resolve("vendor/lib/dep.txt"), "cached by job one\n");
        Path state = Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
        Files.writeString(state.resolve("build-exit-code"), "0\n");
        return run(job, cache, "helper");
    }

    /** Job two's pod: a fresh builds directory; its {@code prepare} restores. */
    private Run restore(ObjectNode job, SharedCache cache) throws Exception {
        deleteTree(tmp.resolve("builds"));
        return run(job, cache, "prepare");
    }

    private Path projectDir() {
        return tmp.resolve("builds/group/app");
    }

    record Run(int exitCode, String output) {}

    /** One container's script as the kubelet runs it: env from the spec and the Secret, paths moved into tmp. */
    private Run run(ObjectNode job, SharedCache cache, String containerName) throws Exception {
        JobPodResources resources = TestJobs.build(job, context(cache));
        Container container = JobPodBuilderTest.container(resources.pod(), containerName);
        Map<String, String> env = new HashMap<>();
        env.put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("HOME", tmp.toString());
        for (EnvVar var : container.getEnv()) {
            // Paths in the spec move into tmp; the Secret's URLs stay as signed (their path has /cache/ in it).
            env.put(
                    var.getName(),
                    var.getValue() != null
                            ? relocate(KubeletExpansion.expand(var.getValue(), Map.of()))
                            : resources
                                    .secret()
                                    .getStringData()
                                    .get(var.getValueFrom().getSecretKeyRef().getKey()));
        }
        String script = relocate(KubeletExpansion.expand(container.getCommand().get(2), env));
        Files.createDirectories(tmp.resolve("builds"));
        Path output = tmp.resolve("output-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script)
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("%s finished", containerName)
                .isTrue();
        return new Run(process.exitValue(), Files.readString(output));
    }

    private String relocate(String text) {
        return text.replace(JobPaths.BUILDS_DIR, tmp.resolve("builds").toString())
                .replace(JobPaths.FILES_DIR, tmp.resolve("files").toString())
                .replace(
                        JobPaths.TERMINATION_MESSAGE_FILE,
                        tmp.resolve("termination-log").toString())
                .replace(JobPaths.CACHE_DIR + "/", tmp.resolve("cache") + "/");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
