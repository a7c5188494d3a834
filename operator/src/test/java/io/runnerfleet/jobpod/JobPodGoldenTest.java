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
    @ValueSource(strings = {"docker-build", "kubectl-deploy", "mysql-redis-test", "run-as-user"})
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
     * The same jobs on the fleet imported from {@code import/every-key-config.toml}, which sets every supported
     * {@code [runners.kubernetes]} key: scheduling (priority and runtime class, scheduler, grace period, token
     * automount), capabilities and privilege escalation, allowed images and services, resources, volumes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker-build", "mysql-redis-test"})
    void exampleJobOnTheEveryKeyFleet(String example) throws java.io.IOException {
        JobPodResources resources = JobPodBuilder.build(
                JobPayloadReader.read(Examples.path("jobs/" + example + ".json")),
                JobPodContext.forFleet(everyKeyFleet())
                        .withManager("every-key-manager-7d9f8b-x2x4q")
                        .withRunner(GOLDEN_RUNNER)
                        .withSlot(new JobPodContext.Slot(1, 1)));
        KubernetesRules.assertValid(resources.pod(), resources.secret());

        Golden.assertMatches("jobpod/every-key-" + example + ".yaml", "---\n" + Yaml.write(resources.pod()));
    }

    static io.runnerfleet.api.v1alpha1.RunnerFleet everyKeyFleet() throws java.io.IOException {
        String source = "src/test/resources/import/every-key-config.toml";
        return new io.runnerfleet.importer.FleetImport()
                .run(
                        source,
                        java.nio.file.Files.readString(java.nio.file.Path.of(source)),
                        null,
                        io.runnerfleet.importer.FleetImport.Options.none())
                .fleets()
                .get(0)
                .fleet();
    }

    /**
     * A job using the git variables, SHA-256 and its own hooks, on the seed fleet with clone_url, the runner's hooks
     * and a GitLab CA: where each lands in the pod.
     */
    @org.junit.jupiter.api.Test
    void gitTlsAndHooksOnTheSeedFleet() {
        var job = TestJobs.example("kubectl-deploy.json");
        for (String[] variable : new String[][] {
            {"GIT_CLONE_PATH", "$CI_BUILDS_DIR/$CI_CONCURRENT_ID/$CI_PROJECT_PATH"},
            {"GIT_STRATEGY", "fetch"},
            {"GIT_FETCH_EXTRA_FLAGS", "--no-tags"},
            {"GIT_SUBMODULE_STRATEGY", "recursive"},
            {"GIT_SUBMODULE_PATHS", "libs/a :(exclude)libs/b"},
            {"GIT_SUBMODULE_DEPTH", "1"},
            {"GIT_SUBMODULE_UPDATE_FLAGS", "--remote --jobs 4"},
            {"GIT_SUBMODULE_FORCE_HTTPS", "true"}
        }) {
            TestJobs.variable(job, variable[0], variable[1]);
        }
        job.withObject("git_info").put("repo_object_format", "sha256");
        var hooks = job.putArray("hooks");
        hooks.addObject()
                .put("name", "pre_get_sources_script")
                .putArray("script")
                .add("echo job pre");
        hooks.addObject()
                .put("name", "post_get_sources_script")
                .putArray("script")
                .add("git log -1");
        var fleet = TestJobs.seedFleet();
        JobPodResources resources = JobPodBuilder.build(
                TestJobs.read(job),
                JobPodContext.forFleet(fleet)
                        .withManager("build-fleet-manager-7d9f8b-x2x4q")
                        .withRunner(GOLDEN_RUNNER)
                        .withSlot(new JobPodContext.Slot(3, 1))
                        .withSettings(new JobPodContext.RunnerSettings(
                                fleet.getSpec().gitlab().url(),
                                new io.runnerfleet.config.RunnerSources(
                                        "https://git-mirror.example.com",
                                        true,
                                        "echo runner pre",
                                        "echo runner post",
                                        "echo before the script",
                                        "echo after the script"),
                                new JobPodContext.ServerTls(
                                        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                                        null,
                                        null))));
        KubernetesRules.assertValid(resources.pod(), resources.secret());
        StringBuilder yaml = new StringBuilder("---\n").append(Yaml.write(resources.pod()));
        resources.secrets().forEach(s -> yaml.append("---\n").append(Yaml.write(SecretRedaction.redacted(s))));
        Golden.assertMatches("jobpod/git-tls-hooks.yaml", yaml.toString());
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
