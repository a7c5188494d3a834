package io.runnerfleet.jobpod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.Golden;
import io.runnerfleet.testing.KubernetesRules;
import io.runnerfleet.validation.FleetLoader;
import io.runnerfleet.yaml.Yaml;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Job Pod and redacted Secret of each example job on the seed fleet, against committed YAML. After an intended
 * change, rerun with {@code -Dgolden.update=true} and review the diff.
 */
class JobPodGoldenTest {
    /** Fixed, so the files do not change with the project's version or the machine the test runs on. */
    static final JobPodContext.Runner GOLDEN_RUNNER =
            new JobPodContext.Runner("xYz12AbC9", "1.2.3", "0123abcd", "linux/amd64");

    @ParameterizedTest
    @ValueSource(strings = {"docker-build", "kubectl-deploy", "mysql-redis-test"})
    void exampleJobOnTheSeedFleet(String example) {
        JobPodResources resources = JobPodBuilder.build(
                JobPayloadReader.read(Examples.path("jobs/" + example + ".json")),
                JobPodContext.forFleet(TestJobs.seedFleet())
                        .withManager("build-fleet-manager-7d9f8b-x2x4q")
                        .withRunner(GOLDEN_RUNNER)
                        .withSlot(new JobPodContext.Slot(3, 1)));
        KubernetesRules.assertValid(resources.pod(), resources.secret());
        resources.registrySecret().ifPresent(KubernetesRules::assertValid);

        StringBuilder yaml = new StringBuilder("---\n").append(Yaml.write(resources.pod()));
        resources.secrets().forEach(s -> yaml.append("---\n").append(Yaml.write(SecretRedaction.redacted(s))));
        Golden.assertMatches("jobpod/" + example + ".yaml", yaml.toString());
    }

    /**
     * A job with two caches (fallback keys, {@code CACHE_FALLBACK_KEY}, untracked, {@code when: always}, pull): on
     * the seed fleet (local cache in the pod's {@code cache} volume) and on a fleet with an S3 cache, whose
     * presigned URLs (signed with AWS's example keys at a fixed time) are listed after the redacted Secret.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void cachedJob(String kind) {
        ObjectNode job = TestJobs.example("mysql-redis-test.json");
        ObjectNode pip = (ObjectNode) job.withArray("cache").get(0);
        pip.putArray("fallback_keys").add("pip-$CI_DEFAULT_BRANCH");
        job.withArray("cache")
                .addObject()
                .put("key", "build-$CI_COMMIT_REF_SLUG")
                .put("untracked", true)
                .put("policy", "pull")
                .put("when", "always")
                .putArray("paths")
                .add("build/");
        TestJobs.variable(job, "CACHE_FALLBACK_KEY", "shared-fallback");
        TestJobs.variable(job, "CI_DEFAULT_BRANCH", "main");
        TestJobs.variable(job, "CI_COMMIT_REF_SLUG", "feature-x");
        RunnerFleet fleet = kind.equals("s3")
                ? new FleetLoader()
                        .load(Path.of("src/test/resources/fleets/s3-cache-fleet.yaml"))
                        .get(0)
                : TestJobs.seedFleet();
        JobPodContext ctx = JobPodContext.forFleet(fleet)
                .withManager("build-fleet-manager-7d9f8b-x2x4q")
                .withRunner(GOLDEN_RUNNER)
                .withSlot(new JobPodContext.Slot(3, 1));
        if (kind.equals("s3")) {
            ctx = ctx.withSharedCache(SharedCache.of(
                    fleet.getSpec().runner().cache(),
                    S3PresignerTest.AWS_EXAMPLE.accessKey(),
                    S3PresignerTest.AWS_EXAMPLE.secretKey(),
                    Instant.parse("2026-01-02T03:04:05Z")));
        }
        JobPodResources resources = JobPodBuilder.build(TestJobs.read(job), ctx);
        KubernetesRules.assertValid(resources.pod(), resources.secret());

        StringBuilder yaml = new StringBuilder("---\n").append(Yaml.write(resources.pod()));
        resources.secrets().forEach(s -> yaml.append("---\n").append(Yaml.write(SecretRedaction.redacted(s))));
        resources.secret().getStringData().entrySet().stream()
                .filter(e -> e.getKey().startsWith("cache."))
                .forEach(e -> yaml.append("# ")
                        .append(e.getKey())
                        .append(": ")
                        .append(e.getValue())
                        .append('\n'));
        Golden.assertMatches("jobpod/cached-" + kind + ".yaml", yaml.toString());
    }
}
