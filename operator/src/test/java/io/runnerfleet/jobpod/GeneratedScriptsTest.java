package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.config.RunnerSources;
import io.runnerfleet.manager.trace.KubernetesLogFiles;
import io.runnerfleet.testing.HostilePayloads;
import io.runnerfleet.testing.KubeletExpansion;
import io.runnerfleet.testing.gitlab.GitRepositoryServer;
import io.runnerfleet.testing.gitlab.SelfSignedTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the scripts the builder puts into the pod with {@code /bin/sh}, real git and a local bare repository, the
 * way the kubelet would: each container's env resolved from the pod spec and the per-job Secret. A stand-in
 * {@code gitlab-runner-helper} on PATH ({@value #FAKE_HELPER}, python3) records its arguments and, for
 * {@code cache-extractor} and {@code cache-archiver}, really unzips and zips (and downloads and uploads).
 *
 * <p>The scripts use the pod's absolute paths; the test moves {@code /builds} and {@code /cache} under a temporary
 * directory by rewriting those prefixes, which appear in the scripts only as paths.
 */
class GeneratedScriptsTest {
    static final String FAKE_HELPER = "src/test/resources/fake-helper/gitlab-runner-helper";

    @TempDir
    Path tmp;

    Path records;
    Path origin;
    Path work;
    String sha1;
    String sha2;
    String sha3;

    /** The fleet the scripts are built for; a test may give the runner settings of its own. */
    JobPodContext context = TestJobs.context(JobPodBuilderTest.PLAIN);

    record Run(int exitCode, String output, long millis) {}

    @BeforeEach
    void repositories() throws Exception {
        records = Files.createDirectories(tmp.resolve("records"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path helper = bin.resolve("gitlab-runner-helper");
        Files.copy(Path.of(FAKE_HELPER), helper);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(tmp.resolve("home"));

        Path sub = tmp.resolve("sub.git");
        git(tmp, "init", "-q", "--bare", sub.toString());
        Path subWork = tmp.resolve("sub-work");
        git(tmp, "init", "-q", subWork.toString());
        Files.writeString(subWork.resolve("sub.txt"), "from the submodule\n");
        git(subWork, "add", "sub.txt");
        git(subWork, "commit", "-q", "-m", "sub");
        git(subWork, "push", "-q", sub.toUri().toString(), "HEAD:refs/heads/main");

        origin = tmp.resolve("origin.git");
        git(tmp, "init", "-q", "--bare", origin.toString());
        work = tmp.resolve("work");
        git(tmp, "init", "-q", work.toString());
        sha1 = commit("a.txt", "one");
        sha2 = commit("b.txt", "two");
        git(work, "submodule", "add", "-q", sub.toUri().toString(), "libs/sub");
        git(work, "commit", "-q", "-m", "submodule");
        sha3 = git(work, "rev-parse", "HEAD").trim();
        git(work, "push", "-q", origin.toUri().toString(), "HEAD:refs/heads/main");
    }

    String commit(String file, String content) throws Exception {
        Files.writeString(work.resolve(file), content + "\n");
        git(work, "add", file);
        git(work, "commit", "-q", "-m", file);
        return git(work, "rev-parse", "HEAD").trim();
    }

    Map<String, String> baseEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("HOME", tmp.resolve("home").toString());
        env.put("RECORD_DIR", records.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Test");
        env.put("GIT_AUTHOR_EMAIL", "test@example.com");
        env.put("GIT_COMMITTER_NAME", "Test");
        env.put("GIT_COMMITTER_EMAIL", "test@example.com");
        // Local submodules need the file protocol, which git refuses for them by default since 2.38.1.
        env.put("GIT_CONFIG_COUNT", "2");
        env.put("GIT_CONFIG_KEY_0", "protocol.file.allow");
        env.put("GIT_CONFIG_VALUE_0", "always");
        env.put("GIT_CONFIG_KEY_1", "init.defaultBranch");
        env.put("GIT_CONFIG_VALUE_1", "main");
        return env;
    }

    String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(baseEnv());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    /** A job whose repository is the local bare one. */
    ObjectNode job(String sha, int depth) {
        ObjectNode job = minimal();
        job.withObject("git_info")
                .put("repo_url", origin.toUri().toString())
                .put("sha", sha)
                .put("depth", depth)
                .putArray("refspecs")
                .add("+refs/heads/main:refs/remotes/origin/main");
        variable(job, "CI_SERVER_URL", "https://gitlab.example.com");
        return job;
    }

    Path projectDir() {
        return tmp.resolve("builds/group/app");
    }

    /** Runs one container's script like the kubelet: its env from the spec and the Secret, paths moved to tmp. */
    Run run(ObjectNode job, String containerName, Map<String, String> extraEnv) throws Exception {
        return started(job, containerName, extraEnv).finish();
    }

    /** A container's script, running. */
    static final class Started {
        final Process process;
        final Path output;
        final long start = System.nanoTime();

        Started(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        Run finish() throws Exception {
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("script finished in time")
                    .isTrue();
            return new Run(
                    process.exitValue(),
                    Files.readString(output),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
        }

        String outputSoFar() throws IOException {
            return Files.readString(output);
        }
    }

    Started started(ObjectNode job, String containerName, Map<String, String> extraEnv) throws Exception {
        JobPodResources resources = TestJobs.build(job, context);
        Container container = JobPodBuilderTest.container(resources.pod(), containerName);
        Map<String, String> env = baseEnv();
        for (EnvVar var : container.getEnv()) {
            String value = var.getValue() != null
                    ? KubeletExpansion.expand(var.getValue(), Map.of())
                    : resources
                            .secret()
                            .getStringData()
                            .get(var.getValueFrom().getSecretKeyRef().getKey());
            env.put(var.getName(), relocate(value));
        }
        env.putAll(extraEnv);
        // The file variables' volume, where the container mounts it.
        boolean mountsFiles =
                container.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(JobPodBuilder.FILES_VOLUME));
        if (mountsFiles) {
            Path files = Files.createDirectories(tmp.resolve("files"));
            for (Map.Entry<String, String> entry :
                    resources.secret().getStringData().entrySet()) {
                if (entry.getKey().startsWith("file.")) {
                    Files.writeString(files.resolve(entry.getKey().substring("file.".length())), entry.getValue());
                }
            }
        }
        // What the container runs: the command as the kubelet expands it.
        String script = relocate(KubeletExpansion.expand(container.getCommand().get(2), env));
        Files.createDirectories(tmp.resolve("builds"));
        Path output = tmp.resolve("output-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script)
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return new Started(pb.start(), output);
    }

    String relocate(String text) {
        return text.replace(JobPaths.BUILDS_DIR, tmp.resolve("builds").toString())
                .replace(JobPaths.FILES_DIR, tmp.resolve("files").toString())
                .replace(
                        JobPaths.TERMINATION_MESSAGE_FILE,
                        tmp.resolve("termination-log").toString())
                .replace(JobPaths.CACHE_DIR + "/", tmp.resolve("cache") + "/");
    }

    List<List<String>> calls() throws IOException {
        try (Stream<Path> files = Files.list(records)) {
            return files.sorted()
                    .map(f -> {
                        try {
                            String content = Files.readString(f);
                            return content.isEmpty()
                                    ? List.<String>of()
                                    : List.of(content.substring(0, content.length() - 1)
                                            .split("\0", -1));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    void writeExitCode(int code) throws IOException {
        Files.createDirectories(projectDir());
        Path state = Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
        Files.writeString(state.resolve("build-exit-code"), code + "\n");
    }

    @Nested
    class Prepare {
        @Test
        void cloneChecksOutTheExactShaAtTheGivenDepth() throws Exception {
            Run run = run(job(sha2, 2), "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(git(projectDir(), "rev-parse", "HEAD").trim()).isEqualTo(sha2);
            assertThat(projectDir().resolve(".git/shallow")).exists();
            assertThat(git(projectDir(), "rev-list", "--count", "HEAD").trim()).isEqualTo("1");
            assertThat(git(projectDir(), "remote", "get-url", "origin").trim())
                    .isEqualTo(origin.toUri().toString());
            assertThat(projectDir().resolve("b.txt")).exists();
        }

        @Test
        void withoutDepthTheWholeHistory() throws Exception {
            Run run = run(job(sha3, 0), "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(git(projectDir(), "rev-list", "--count", "HEAD").trim()).isEqualTo("3");
            assertThat(projectDir().resolve(".git/shallow")).doesNotExist();
        }

        @Test
        void gitDepthVariableOverridesGitInfo() throws Exception {
            ObjectNode job = job(sha3, 0);
            variable(job, "GIT_DEPTH", "1");
            assertThat(run(job, "prepare", Map.of()).exitCode()).isZero();
            assertThat(git(projectDir(), "rev-list", "--count", "HEAD").trim()).isEqualTo("1");
        }

        @Test
        void submodulesOnlyWhenAsked() throws Exception {
            Run none = run(job(sha3, 0), "prepare", Map.of());
            assertThat(none.exitCode()).as(none.output()).isZero();
            assertThat(projectDir().resolve("libs/sub/sub.txt")).doesNotExist();
            ObjectNode job = job(sha3, 0);
            variable(job, "GIT_SUBMODULE_STRATEGY", "normal");
            Run normal = run(job, "prepare", Map.of());
            assertThat(normal.exitCode()).as(normal.output()).isZero();
            assertThat(projectDir().resolve("libs/sub/sub.txt")).hasContent("from the submodule");
            ObjectNode recursive = job(sha3, 0);
            variable(recursive, "GIT_SUBMODULE_STRATEGY", "recursive");
            assertThat(run(recursive, "prepare", Map.of()).exitCode()).isZero();
            assertThat(projectDir().resolve("libs/sub/sub.txt")).exists();
        }

        @Test
        void fetchReusesTheRepositoryAndCleansIt() throws Exception {
            ObjectNode first = job(sha2, 0).put("allow_git_fetch", true);
            assertThat(run(first, "prepare", Map.of()).exitCode()).isZero();
            Files.writeString(projectDir().resolve(".git/kept-marker"), "x");
            Files.writeString(projectDir().resolve("untracked.txt"), "left over");
            String sha4 = commit("d.txt", "four");
            git(work, "push", "-q", origin.toUri().toString(), "HEAD:refs/heads/main");

            Run second = run(job(sha4, 0).put("allow_git_fetch", true), "prepare", Map.of());
            assertThat(second.exitCode()).as(second.output()).isZero();
            assertThat(second.output()).contains("Fetching changes");
            assertThat(git(projectDir(), "rev-parse", "HEAD").trim()).isEqualTo(sha4);
            assertThat(projectDir().resolve(".git/kept-marker")).exists();
            assertThat(projectDir().resolve("untracked.txt")).doesNotExist();
        }

        @Test
        void cloneStartsFromScratch() throws Exception {
            assertThat(run(job(sha2, 0), "prepare", Map.of()).exitCode()).isZero();
            Files.writeString(projectDir().resolve(".git/kept-marker"), "x");
            assertThat(run(job(sha3, 0), "prepare", Map.of()).exitCode()).isZero();
            assertThat(projectDir().resolve(".git/kept-marker")).doesNotExist();
        }

        @Test
        void strategyNoneCreatesOnlyTheDirectory() throws Exception {
            ObjectNode job = job(sha3, 0);
            variable(job, "GIT_STRATEGY", "none");
            Run run = run(job, "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(projectDir()).isDirectory();
            assertThat(projectDir().resolve(".git")).doesNotExist();
        }

        @Test
        void lfsObjectsArePulledOnceAfterCheckoutUnlessSkipped() throws Exception {
            // git runs "git lfs ..." as the git-lfs program on PATH: a stand-in records the calls.
            Path lfsBin = Files.createDirectories(tmp.resolve("lfs-bin"));
            Path lfs = lfsBin.resolve("git-lfs");
            Files.writeString(lfs, "#!/bin/sh\nprintf '%s\\0' git-lfs \"$@\" > \"$RECORD_DIR/lfs-$1-$$\"\n");
            Files.setPosixFilePermissions(lfs, PosixFilePermissions.fromString("rwxr-xr-x"));
            Map<String, String> path = Map.of("PATH", lfsBin + ":" + baseEnv().get("PATH"));
            assertThat(run(job(sha3, 0), "prepare", path).exitCode()).isZero();
            assertThat(calls()).contains(List.of("git-lfs", "pull"));

            try (Stream<Path> files = Files.walk(records)) {
                files.filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
            }
            ObjectNode skip = job(sha3, 0);
            variable(skip, "GIT_LFS_SKIP_SMUDGE", "1");
            assertThat(run(skip, "prepare", path).exitCode()).isZero();
            assertThat(calls()).doesNotContain(List.of("git-lfs", "pull"));
        }

        @Test
        void aShaThatIsNotThereFailsThePrepare() throws Exception {
            Run run = run(job("0000000000000000000000000000000000000001", 0), "prepare", Map.of());
            assertThat(run.exitCode()).isNotZero();
        }

        @Test
        void restoresTheCacheThenDownloadsDependencyArtifacts() throws Exception {
            ObjectNode job = job(sha3, 0);
            ((ArrayNode) job.withArray("cache"))
                    .addObject()
                    .put("key", "deps-main")
                    .put("policy", "pull-push")
                    .putArray("paths")
                    .add("vendor/");
            ((ArrayNode) job.withArray("cache"))
                    .addObject()
                    .put("key", "push-only")
                    .put("policy", "push");
            ArrayNode deps = job.withArray("dependencies");
            deps.addObject()
                    .put("id", 7)
                    .put("name", "build")
                    .putObject("artifacts_file")
                    .put("filename", "artifacts.zip")
                    .put("size", 10);
            deps.addObject().put("id", 8).put("name", "lint");
            Run run = run(job, "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(calls())
                    .containsExactly(
                            List.of(
                                    "cache-extractor",
                                    "--file",
                                    tmp.resolve("cache") + "/group/app/deps-main/cache.zip",
                                    "--timeout",
                                    "10"),
                            List.of("artifacts-downloader", "--url", "https://gitlab.example.com", "--id", "7"));
            assertThat(run.output()).contains("Checking cache for deps-main...", "WARNING: Failed to extract cache");
        }

        @Test
        void aFailedArtifactDownloadFailsThePrepare() throws Exception {
            ObjectNode job = job(sha3, 0);
            job.withArray("dependencies")
                    .addObject()
                    .put("id", 7)
                    .put("name", "build")
                    .putObject("artifacts_file")
                    .put("filename", "artifacts.zip");
            assertThat(run(job, "prepare", Map.of("HELPER_FAIL", "artifacts-downloader"))
                            .exitCode())
                    .isNotZero();
        }
    }

    /** The git variables, clone path, object format and credentials of gitlab-runner's get_sources. */
    @Nested
    class Sources {
        /** A bare repository with one commit per file; returns the last commit. */
        String repository(Path bare, String objectFormat, String... files) throws Exception {
            git(tmp, "init", "-q", "--bare", "--object-format=" + objectFormat, bare.toString());
            Path checkout = Files.createTempDirectory(tmp, "checkout");
            git(tmp, "init", "-q", "--object-format=" + objectFormat, checkout.toString());
            for (String file : files) {
                Files.writeString(checkout.resolve(file), file + "\n");
                git(checkout, "add", file);
                git(checkout, "commit", "-q", "-m", file);
            }
            git(checkout, "push", "-q", bare.toUri().toString(), "HEAD:refs/heads/main");
            return git(checkout, "rev-parse", "HEAD").trim();
        }

        /** A bare superproject whose submodules are {path, url, sha}, written as gitlinks; returns its commit. */
        String superproject(Path bare, String[]... modules) throws Exception {
            git(tmp, "init", "-q", "--bare", bare.toString());
            Path checkout = Files.createTempDirectory(tmp, "super");
            git(tmp, "init", "-q", checkout.toString());
            StringBuilder gitmodules = new StringBuilder();
            for (String[] module : modules) {
                gitmodules.append("[submodule \"").append(module[0]).append("\"]\n");
                gitmodules.append("\tpath = ").append(module[0]).append('\n');
                gitmodules.append("\turl = ").append(module[1]).append('\n');
                git(checkout, "update-index", "--add", "--cacheinfo", "160000," + module[2] + "," + module[0]);
            }
            Files.writeString(checkout.resolve(".gitmodules"), gitmodules);
            Files.writeString(checkout.resolve("top.txt"), "top\n");
            git(checkout, "add", ".gitmodules", "top.txt");
            git(checkout, "commit", "-q", "-m", "super");
            git(checkout, "push", "-q", bare.toUri().toString(), "HEAD:refs/heads/main");
            return git(checkout, "rev-parse", "HEAD").trim();
        }

        ObjectNode jobFor(String repoUrl, String sha) {
            ObjectNode job = job(sha, 0);
            job.withObject("git_info").put("repo_url", repoUrl);
            return job;
        }

        @Test
        void emptyStrategyLeavesAnEmptyProjectDirectory() throws Exception {
            Files.createDirectories(projectDir());
            Files.writeString(projectDir().resolve("stale.txt"), "old");
            ObjectNode job = job(sha3, 0);
            variable(job, "GIT_STRATEGY", "empty");
            Run run = run(job, "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("creating an empty build directory");
            try (Stream<Path> files = Files.list(projectDir())) {
                assertThat(files).isEmpty();
            }
        }

        @Test
        void gitClonePathMovesTheSourcesAndCiProjectDir() throws Exception {
            ObjectNode job = job(sha3, 0);
            variable(job, "GIT_CLONE_PATH", "$CI_BUILDS_DIR/custom/$CI_CONCURRENT_ID/app");
            Run run = run(job, "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            Path custom = tmp.resolve("builds/custom/0/app");
            assertThat(git(custom, "rev-parse", "HEAD").trim()).isEqualTo(sha3);
            assertThat(projectDir()).doesNotExist();
            Container build =
                    JobPodBuilderTest.container(TestJobs.build(job, context).pod(), "build");
            assertThat(build.getWorkingDir()).isEqualTo("/builds/custom/0/app");
            assertThat(build.getEnv())
                    .anyMatch(e ->
                            e.getName().equals("CI_PROJECT_DIR") && e.getValue().equals("/builds/custom/0/app"));
        }

        @Test
        void gitClonePathOutsideTheBuildsDirOrWithoutCustomBuildDirFailsTheJob() {
            for (String escape : List.of("/tmp/elsewhere", "$CI_BUILDS_DIR/../etc", "relative/dir", "/builds")) {
                ObjectNode job = job(sha3, 0);
                variable(job, "GIT_CLONE_PATH", escape);
                assertThatThrownBy(() -> TestJobs.build(job, context))
                        .isInstanceOf(JobPodException.class)
                        .hasMessageContaining("GIT_CLONE_PATH")
                        .hasMessageContaining("has to be within \"/builds\"");
            }
            ObjectNode job = job(sha3, 0);
            variable(job, "GIT_CLONE_PATH", "/builds/custom/app");
            JobPodContext disabled = context.withSettings(
                    new JobPodContext.RunnerSettings(null, new RunnerSources(null, false, null, null, null, null)));
            assertThatThrownBy(() -> TestJobs.build(job, disabled))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("enable `custom_build_dir`");
        }

        @Test
        void fetchExtraFlagsReplaceTheDefaults() throws Exception {
            git(work, "tag", "v1", sha2);
            git(work, "push", "-q", origin.toUri().toString(), "refs/tags/v1");
            assertThat(run(job(sha3, 0), "prepare", Map.of()).exitCode()).isZero();
            assertThat(git(projectDir(), "tag").trim()).isEqualTo("v1");
            ObjectNode job = job(sha3, 0);
            variable(job, "GIT_FETCH_EXTRA_FLAGS", "--no-tags --prune");
            Run run = run(job, "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(git(projectDir(), "tag").trim()).isEmpty();
        }

        @Test
        void submodulePathsDepthAndUpdateFlags() throws Exception {
            String deep = repository(tmp.resolve("deep.git"), "sha1", "d1.txt", "d2.txt", "d3.txt");
            String other = repository(tmp.resolve("other.git"), "sha1", "o.txt");
            String top = superproject(
                    tmp.resolve("top.git"),
                    new String[] {"libs/deep", tmp.resolve("deep.git").toUri().toString(), deep},
                    new String[] {"libs/other", tmp.resolve("other.git").toUri().toString(), other});
            String repoUrl = tmp.resolve("top.git").toUri().toString();

            ObjectNode only = jobFor(repoUrl, top);
            variable(only, "GIT_SUBMODULE_STRATEGY", "normal");
            variable(only, "GIT_SUBMODULE_PATHS", "libs/deep");
            variable(only, "GIT_SUBMODULE_DEPTH", "1");
            Run run = run(only, "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(projectDir().resolve("libs/deep/d3.txt")).exists();
            assertThat(projectDir().resolve("libs/other/o.txt")).doesNotExist();
            assertThat(git(projectDir().resolve("libs/deep"), "rev-list", "--count", "HEAD")
                            .trim())
                    .isEqualTo("1");

            // --remote: the submodules follow their branch, not the commit the superproject records.
            Path deepWork = Files.createTempDirectory(tmp, "deep-work");
            git(deepWork, "clone", "-q", tmp.resolve("deep.git").toUri().toString(), ".");
            Files.writeString(deepWork.resolve("d4.txt"), "four\n");
            git(deepWork, "add", "d4.txt");
            git(deepWork, "commit", "-q", "-m", "d4");
            git(deepWork, "push", "-q", "origin", "HEAD:refs/heads/main");
            ObjectNode remote = jobFor(repoUrl, top);
            variable(remote, "GIT_SUBMODULE_STRATEGY", "normal");
            variable(remote, "GIT_SUBMODULE_UPDATE_FLAGS", "--remote");
            Run updated = run(remote, "prepare", Map.of());
            assertThat(updated.exitCode()).as(updated.output()).isZero();
            assertThat(projectDir().resolve("libs/deep/d4.txt")).exists();
            assertThat(projectDir().resolve("libs/other/o.txt")).exists();
        }

        @Test
        void aLoneExcludeInSubmodulePathsIsRefused() {
            ObjectNode job = job(sha3, 0);
            variable(job, "GIT_SUBMODULE_STRATEGY", "normal");
            variable(job, "GIT_SUBMODULE_PATHS", ":(exclude) libs/sub");
            assertThatThrownBy(() -> TestJobs.build(job, context))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("GIT_SUBMODULE_PATHS");
        }

        @Test
        void sha256RepositoriesAreInitialisedInTheirObjectFormat() throws Exception {
            String sha = repository(tmp.resolve("sha256.git"), "sha256", "s.txt");
            assertThat(sha).hasSize(64);
            ObjectNode job = jobFor(tmp.resolve("sha256.git").toUri().toString(), sha);
            job.withObject("git_info").put("repo_object_format", "sha256");
            Run run = run(job, "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(git(projectDir(), "rev-parse", "HEAD").trim()).isEqualTo(sha);
            assertThat(git(projectDir(), "rev-parse", "--show-object-format").trim())
                    .isEqualTo("sha256");

            ObjectNode withoutFormat = jobFor(tmp.resolve("sha256.git").toUri().toString(), sha);
            assertThat(run(withoutFormat, "prepare", Map.of()).exitCode()).isNotZero();
        }

        @Test
        void theJobTokenReachesSubmodulesOnTheServerThroughInsteadOfAndIsNeverWritten() throws Exception {
            Path served = Files.createDirectories(tmp.resolve("served/group"));
            String sub = repository(served.resolve("sub.git"), "sha1", "s.txt");
            String ssh = repository(served.resolve("ssh.git"), "sha1", "h.txt");
            try (GitRepositoryServer server = GitRepositoryServer.http(tmp.resolve("served"), TestJobs.TOKEN)) {
                String top = superproject(
                        served.resolve("app.git"),
                        new String[] {"libs/sub", "../sub.git", sub},
                        new String[] {"libs/ssh", "git@127.0.0.1:group/ssh.git", ssh});
                String host = server.url().substring("http://".length());
                ObjectNode job =
                        jobFor("http://gitlab-ci-token:" + TestJobs.TOKEN + "@" + host + "/group/app.git", top);
                variable(job, "GIT_SUBMODULE_STRATEGY", "recursive");
                variable(job, "GIT_SUBMODULE_FORCE_HTTPS", "true");
                variable(job, "CI_SERVER_HOST", "127.0.0.1");
                variable(job, "CI_PROJECT_PATH", "group/app");
                context = context.withSettings(new JobPodContext.RunnerSettings(server.url(), RunnerSources.NONE));

                Run run = run(job, "prepare", Map.of());
                assertThat(run.exitCode()).as(run.output()).isZero();
                assertThat(projectDir().resolve("libs/sub/s.txt")).exists();
                assertThat(projectDir().resolve("libs/ssh/h.txt")).exists();
                assertThat(git(projectDir(), "remote", "get-url", "origin").trim())
                        .isEqualTo(server.url() + "/group/app.git");
                try (Stream<Path> files = Files.walk(tmp.resolve("builds"))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                                .as(file.toString())
                                .doesNotContain(TestJobs.TOKEN);
                    }
                }
                assertThat(run.output()).doesNotContain(TestJobs.TOKEN);

                // The server checks the token: another job's token gets 401, and the prepare fails.
                ObjectNode otherToken = job.deepCopy().put("token", "glcbt-64_SomeOtherJobsToken000002");
                Run refused = run(otherToken, "prepare", Map.of());
                assertThat(refused.exitCode()).as(refused.output()).isNotZero();
                assertThat(refused.output()).contains("Authentication failed");
            }
        }
    }

    /** The runner's and the job's hooks, clone_url and the runner's url, as gitlab-runner runs and uses them. */
    @Nested
    class RunnerSettings {
        Path log() {
            return tmp.resolve("hooks.log");
        }

        String logs(String what) {
            return "printf '%s %s\\n' " + what + " \"$(pwd)\" >> " + log();
        }

        void settings(String url, RunnerSources sources) {
            context = context.withSettings(new JobPodContext.RunnerSettings(url, sources));
        }

        ObjectNode jobWithHooks() {
            ObjectNode job = job(sha3, 0);
            ArrayNode hooks = job.putArray("hooks");
            hooks.addObject()
                    .put("name", "pre_get_sources_script")
                    .putArray("script")
                    .add(logs("job-pre"))
                    .add("export FROM_PRE_HOOK=exported");
            hooks.addObject()
                    .put("name", "post_get_sources_script")
                    .putArray("script")
                    .add(logs("job-post-$FROM_PRE_HOOK"))
                    .add("test -f b.txt");
            return job;
        }

        @Test
        void getSourcesHooksRunAroundTheFetchInGitlabRunnersOrderAndShell() throws Exception {
            settings(null, new RunnerSources(null, null, logs("runner-pre"), logs("runner-post"), null, null));
            Run run = run(jobWithHooks(), "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            String builds = tmp.resolve("builds").toString();
            assertThat(Files.readAllLines(log()))
                    .containsExactly(
                            "runner-pre " + builds,
                            "job-pre " + builds,
                            "job-post-exported " + projectDir(),
                            "runner-post " + projectDir());
            assertThat(run.output()).contains("Running pre_get_sources_script...", "$ export FROM_PRE_HOOK=exported");
        }

        @Test
        void aFailingPreGetSourcesHookFailsThePrepareBeforeTheFetch() throws Exception {
            settings(null, new RunnerSources(null, null, "false", logs("runner-post"), null, null));
            Run run = run(jobWithHooks(), "prepare", Map.of());
            assertThat(run.exitCode()).isNotZero();
            assertThat(projectDir().resolve(".git")).doesNotExist();
            assertThat(log()).doesNotExist();
        }

        @Test
        void withoutARepositoryNoGetSourcesHookRuns() throws Exception {
            settings(null, new RunnerSources(null, null, logs("runner-pre"), logs("runner-post"), null, null));
            for (String strategy : List.of("none", "empty")) {
                ObjectNode job = jobWithHooks();
                variable(job, "GIT_STRATEGY", strategy);
                assertThat(run(job, "prepare", Map.of()).exitCode()).isZero();
            }
            assertThat(log()).doesNotExist();
        }

        @Test
        void preAndPostBuildScriptsWrapTheScriptInItsShell() throws Exception {
            settings(null, new RunnerSources(null, null, null, null, "export FROM_PRE=pre", "echo post=$FROM_PRE"));
            Files.createDirectories(projectDir());
            Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
            ObjectNode job = minimal();
            ((ArrayNode) job.withArray("steps").get(0).get("script"))
                    .removeAll()
                    .add("echo script=$FROM_PRE");
            Run run = run(job, "build", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output().lines().filter(l -> !l.startsWith("$ ")))
                    .containsSubsequence("script=pre", "post=pre");

            ((ArrayNode) job.withArray("steps").get(0).get("script"))
                    .removeAll()
                    .add("exit 4");
            Run failed = run(job, "build", Map.of());
            assertThat(failed.exitCode()).isEqualTo(4);
            assertThat(failed.output()).doesNotContain("post=pre");
        }

        @Test
        void cloneUrlIsWhereTheSourcesComeFrom() throws Exception {
            // GitLab's repo_url names a host that does not exist; clone_url + the project path is the local repository.
            Path mirror = Files.createDirectories(tmp.resolve("mirror/group"));
            git(
                    tmp,
                    "clone",
                    "-q",
                    "--bare",
                    origin.toUri().toString(),
                    mirror.resolve("app.git").toString());
            settings(null, new RunnerSources(tmp.resolve("mirror").toUri().toString(), null, null, null, null, null));
            ObjectNode job = job(sha3, 0);
            job.withObject("git_info")
                    .put("repo_url", "https://gitlab-ci-token:" + TestJobs.TOKEN + "@gitlab.invalid/group/app.git");
            variable(job, "CI_PROJECT_PATH", "group/app");
            Run run = run(job, "prepare", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(git(projectDir(), "rev-parse", "HEAD").trim()).isEqualTo(sha3);
            assertThat(git(projectDir(), "remote", "get-url", "origin").trim())
                    .isEqualTo(tmp.resolve("mirror").toUri() + "group/app.git");
        }

        @Test
        void theHelperTalksToTheRunnersUrlNotCiServerUrl() throws Exception {
            settings("https://gitlab-internal.example:8443", RunnerSources.NONE);
            ObjectNode job = job(sha3, 0);
            variable(job, "CI_SERVER_URL", "https://gitlab.public.example");
            job.putArray("artifacts")
                    .addObject()
                    .put("name", "a")
                    .putArray("paths")
                    .add("dist/");
            job.withArray("dependencies")
                    .addObject()
                    .put("id", 7)
                    .put("name", "build")
                    .putObject("artifacts_file")
                    .put("filename", "artifacts.zip");
            assertThat(run(job, "prepare", Map.of()).exitCode()).isZero();
            writeExitCode(0);
            assertThat(run(job, "helper", Map.of()).exitCode()).isZero();
            assertThat(calls())
                    .extracting(call -> call.get(0) + " " + call.get(2))
                    .containsExactly(
                            "artifacts-downloader https://gitlab-internal.example:8443",
                            "artifacts-uploader https://gitlab-internal.example:8443");
        }
    }

    /** git in prepare through a GitLab stand-in on HTTPS with a self-signed CA, as the runner's tls-ca-file. */
    @Nested
    class Tls {
        @Test
        void withTheRunnersCaGitClonesOverHttpsAndTheJobGetsCiServerTlsCaFile() throws Exception {
            SelfSignedTls tls = SelfSignedTls.create(Files.createDirectories(tmp.resolve("tls")));
            Path served = Files.createDirectories(tmp.resolve("served/group"));
            git(
                    tmp,
                    "clone",
                    "-q",
                    "--bare",
                    origin.toUri().toString(),
                    served.resolve("app.git").toString());
            try (GitRepositoryServer server =
                    GitRepositoryServer.https(tmp.resolve("served"), TestJobs.TOKEN, tls.server(), null)) {
                ObjectNode job = job(sha3, 0);
                job.withObject("git_info")
                        .put(
                                "repo_url",
                                server.url().replace("https://", "https://gitlab-ci-token:" + TestJobs.TOKEN + "@")
                                        + "/group/app.git");
                String ca = Files.readString(tls.caFile());
                context = context.withSettings(new JobPodContext.RunnerSettings(
                        server.url(), RunnerSources.NONE, new JobPodContext.ServerTls(ca, null, null)));
                Run run = run(job, "prepare", Map.of());
                assertThat(run.exitCode()).as(run.output()).isZero();
                assertThat(git(projectDir(), "rev-parse", "HEAD").trim()).isEqualTo(sha3);
                // The helper's uploads read the same file (gitlab-runner-helper takes CI_SERVER_TLS_CA_FILE).
                JobPodResources resources = TestJobs.build(job, context);
                for (String container : List.of("prepare", "build", "helper")) {
                    Container c = JobPodBuilderTest.container(resources.pod(), container);
                    assertThat(c.getEnv())
                            .as(container)
                            .anyMatch(e -> e.getName().equals("CI_SERVER_TLS_CA_FILE")
                                    && e.getValue().equals(JobPaths.FILES_DIR + "/CI_SERVER_TLS_CA_FILE"));
                    assertThat(c.getVolumeMounts())
                            .as(container)
                            .anyMatch(m -> m.getName().equals(JobPodBuilder.FILES_VOLUME));
                }
                assertThat(resources.secret().getStringData()).containsEntry("file.CI_SERVER_TLS_CA_FILE", ca);

                context = context.withSettings(new JobPodContext.RunnerSettings(server.url(), RunnerSources.NONE));
                Run untrusted = run(job, "prepare", Map.of());
                assertThat(untrusted.exitCode()).isNotZero();
                assertThat(untrusted.output()).containsIgnoringCase("certificate");
            }
        }
    }

    @Nested
    class Build {
        ObjectNode job(List<String> script, List<String> afterScript, int afterTimeout) {
            ObjectNode job = minimal();
            ArrayNode steps = job.putArray("steps");
            ArrayNode main = steps.addObject().put("name", "script").putArray("script");
            script.forEach(main::add);
            if (afterScript != null) {
                ArrayNode after = steps.addObject()
                        .put("name", "after_script")
                        .put("timeout", afterTimeout)
                        .put("when", "always")
                        .putArray("script");
                afterScript.forEach(after::add);
            }
            return job;
        }

        Run runBuild(ObjectNode job) throws Exception {
            Files.createDirectories(projectDir());
            Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
            return run(job, "build", Map.of());
        }

        String exitFile() throws IOException {
            return Files.readString(tmp.resolve("builds/.runner-fleet/build-exit-code"))
                    .trim();
        }

        @Test
        void successRunsTheScriptThenAfterScriptAndRecordsZero() throws Exception {
            Run run =
                    runBuild(job(List.of("echo one", "echo \"dir=$(pwd)\""), List.of("echo after=$CI_JOB_STATUS"), 0));
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("$ echo one\none\n", "dir=" + projectDir(), "after=success");
            assertThat(exitFile()).isEqualTo("0");
        }

        @Test
        void theBuildLogFileHoldsTheContainersOutputByteForByteInOrderStderrIncluded() throws Exception {
            Run run = runBuild(job(
                    List.of(
                            "echo out-1",
                            "echo err-2 >&2",
                            "printf 'no newline, then \\r\\n: '",
                            "i=0; while [ $i -lt 2000 ]; do echo \"line $i\"; i=$((i + 1)); done",
                            "printf 'ends without a newline'"),
                    List.of("echo after >&2"),
                    0));
            assertThat(run.exitCode()).as(run.output()).isZero();
            String file = Files.readString(tmp.resolve("builds/.runner-fleet/build.log"));
            assertThat(file).isEqualTo(run.output()).contains("line 1999\n", "err-2", "after");
            assertThat(tmp.resolve("builds/.runner-fleet/build.log.unavailable"))
                    .doesNotExist();
        }

        @Test
        void theFirstFailingCommandEndsTheScriptAndItsCodeIsTheResult() throws Exception {
            Run run = runBuild(
                    job(List.of("echo one", "exit 3", "echo unreachable"), List.of("echo after=$CI_JOB_STATUS"), 0));
            assertThat(run.exitCode()).isEqualTo(3);
            assertThat(run.output()).contains("one", "after=failed").doesNotContain("unreachable");
            assertThat(exitFile()).isEqualTo("3");
            Run failing = runBuild(job(List.of("false", "echo unreachable"), null, 0));
            assertThat(failing.exitCode()).isEqualTo(1);
            assertThat(failing.output()).doesNotContain("$ echo unreachable");
        }

        @Test
        void aPipelineFailsWhenAnyPartFailsUnderBash() throws Exception {
            Run run = runBuild(job(List.of("false | cat", "echo unreachable"), null, 0));
            assertThat(run.exitCode()).isEqualTo(1);
        }

        @Test
        void afterScriptFailureLeavesTheResultAlone() throws Exception {
            Run run = runBuild(job(List.of("echo ok"), List.of("exit 5"), 0));
            assertThat(run.exitCode()).isZero();
            assertThat(run.output()).contains("after_script failed with exit code 5");
            assertThat(exitFile()).isEqualTo("0");
        }

        @Test
        void afterScriptStopsAtItsOwnTimeout() throws Exception {
            Run run = runBuild(job(List.of("exit 2"), List.of("sleep 30", "echo late"), 1));
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.millis()).isLessThan(15_000);
            assertThat(run.output()).contains("after_script timed out after 1s").doesNotContain("late\n");
            assertThat(exitFile()).isEqualTo("2");
        }

        String terminationMessage() throws IOException {
            Path file = tmp.resolve("termination-log");
            return Files.exists(file) ? Files.readString(file).trim() : "";
        }

        @Test
        void runnerScriptTimeoutStopsTheScriptThenAfterScriptRunsAsTimedOut() throws Exception {
            ObjectNode job =
                    job(List.of("echo start", "sleep 30", "echo unreachable"), List.of("echo after=$CI_JOB_STATUS"), 0);
            variable(job, "RUNNER_SCRIPT_TIMEOUT", "1s");
            Run run = runBuild(job);
            assertThat(run.millis()).isLessThan(15_000);
            assertThat(run.exitCode()).as(run.output()).isNotZero();
            assertThat(run.output())
                    .contains("start", "ran past its timeout", "after=timedout")
                    .doesNotContain("unreachable\n");
            assertThat(exitFile()).isEqualTo(Integer.toString(run.exitCode()));
            assertThat(terminationMessage()).isEqualTo("timedout");
        }

        @Test
        void theJobTimeoutCountsFromTheJobsStartAsPrepareRecordedIt() throws Exception {
            ObjectNode job = job(List.of("sleep 30"), List.of("echo after=$CI_JOB_STATUS"), 0);
            job.withObject("runner_info").put("timeout", 62);
            Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
            Files.writeString(
                    tmp.resolve("builds/.runner-fleet/job-started"), (System.currentTimeMillis() / 1000 - 60) + "\n");
            Run run = runBuild(job);
            assertThat(run.millis()).isLessThan(15_000);
            assertThat(run.output()).contains("after=timedout");
            assertThat(terminationMessage()).isEqualTo("timedout");
        }

        @Test
        void withoutAWorkingDateTheTimerCountsSeconds() throws Exception {
            Path date = tmp.resolve("bin/date");
            Files.writeString(date, "#!/bin/sh\nexit 1\n");
            Files.setPosixFilePermissions(date, PosixFilePermissions.fromString("rwxr-xr-x"));
            ObjectNode job = job(List.of("sleep 30"), List.of("echo after=$CI_JOB_STATUS"), 0);
            variable(job, "RUNNER_SCRIPT_TIMEOUT", "2s");
            Run run = runBuild(job);
            assertThat(run.millis()).isBetween(1_500L, 15_000L);
            assertThat(run.output()).contains("after=timedout");
        }

        @Test
        void aScriptWithinItsTimeoutIsUntouched() throws Exception {
            ObjectNode job = job(List.of("sleep 1", "echo done"), List.of("echo after=$CI_JOB_STATUS"), 0);
            variable(job, "RUNNER_SCRIPT_TIMEOUT", "20s");
            Run run = runBuild(job);
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("done", "after=success").doesNotContain("timeout");
            assertThat(terminationMessage()).isEqualTo("finished");
        }

        @Test
        void sigtermStopsTheScriptAndAfterScriptRunsAsCanceledThenTheHelperMayUpload() throws Exception {
            Files.createDirectories(projectDir());
            Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
            Started build = started(
                    job(List.of("echo start", "sleep 30", "echo unreachable"), List.of("echo after=$CI_JOB_STATUS"), 0),
                    "build",
                    Map.of());
            awaitOutput(build, "$ sleep 30");
            build.process.toHandle().destroy(); // SIGTERM, as the kubelet sends when the pod is deleted
            Run run = build.finish();
            assertThat(run.millis()).isLessThan(15_000);
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).contains("after=canceled").doesNotContain("unreachable\n");
            assertThat(exitFile()).isEqualTo(Integer.toString(run.exitCode()));
            assertThat(terminationMessage()).isEqualTo("canceled");
        }

        /** What the manager tells a build killed as a whole by (manager.PodVerdicts): no message, no exit code file. */
        @Test
        void aSigkillOfTheWrapperLeavesNoTerminationMessageAndNoExitCode() throws Exception {
            Files.createDirectories(projectDir());
            Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
            Started build =
                    started(job(List.of("echo start", "sleep 30"), List.of("echo after"), 0), "build", Map.of());
            awaitOutput(build, "$ sleep 30");
            List<ProcessHandle> stage = build.process.toHandle().descendants().toList();
            build.process.toHandle().destroyForcibly(); // SIGKILL of the container's first process
            Run run = build.finish();
            stage.forEach(ProcessHandle::destroyForcibly); // the kubelet takes the container's other processes along
            assertThat(run.exitCode()).isEqualTo(137);
            assertThat(terminationMessage()).isEmpty();
            assertThat(tmp.resolve("builds/.runner-fleet/build-exit-code")).doesNotExist();
        }

        @Test
        void sigtermDuringAfterScriptLetsItFinish() throws Exception {
            Files.createDirectories(projectDir());
            Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
            Started build = started(
                    job(List.of("echo ok"), List.of("echo after-start", "sleep 2", "echo after-end"), 0),
                    "build",
                    Map.of());
            awaitOutput(build, "after-start");
            build.process.toHandle().destroy();
            Run run = build.finish();
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("after-end");
            assertThat(terminationMessage()).isEqualTo("finished");
        }

        void awaitOutput(Started started, String text) throws Exception {
            long until = System.currentTimeMillis() + 20_000;
            while (!started.outputSoFar().contains(text)) {
                assertThat(System.currentTimeMillis()).as("output " + text).isLessThan(until);
                Thread.sleep(50);
            }
        }

        @Test
        void anExpandedVariableReachesTheScriptAsItsValue() throws Exception {
            ObjectNode job = job(List.of("printf '[%s]\\n' \"$IMAGE_TAG\" \"$PRICE\" \"$KEPT\""), null, 0);
            variable(job, "CI_REGISTRY_IMAGE", "registry.example.com/group/app");
            variable(job, "CI_COMMIT_SHA", "0123abc");
            variable(job, "IMAGE_TAG", "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA");
            variable(job, "PRICE", "$$5 $(echo no)");
            variable(job, "KEPT", "$CI_COMMIT_SHA").put("raw", true);
            Run run = runBuild(job);
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output())
                    .contains("[registry.example.com/group/app:0123abc]", "[$5 $(echo no)]", "[$CI_COMMIT_SHA]");
        }

        @Test
        void commandsWithQuotesAndNewlinesRunAsWritten() throws Exception {
            Run run = runBuild(job(
                    List.of(
                            "echo 'single' \"double\" `echo back`",
                            "printf '%s\\n' \"a;b\"",
                            "if true; then\n  echo multi-line\nfi"),
                    null,
                    0));
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output())
                    .contains("single double back", "a;b", "multi-line", "$ echo 'single' \"double\" `echo back`");
        }
    }

    @Nested
    class Helper {
        ObjectNode job() {
            ObjectNode job = minimal();
            ArrayNode artifacts = job.putArray("artifacts");
            artifacts
                    .addObject()
                    .put("name", "ok")
                    .put("when", "on_success")
                    .putArray("paths")
                    .add("dist/");
            artifacts
                    .addObject()
                    .put("name", "logs")
                    .put("when", "on_failure")
                    .putArray("paths")
                    .add("logs/");
            artifacts
                    .addObject()
                    .put("name", "reports")
                    .put("when", "always")
                    .put("expire_in", "1 week")
                    .put("artifact_format", "zip")
                    .put("artifact_type", "archive")
                    .put("untracked", true)
                    .putArray("paths")
                    .add("reports/");
            job.putArray("cache").addObject().put("key", "k").putArray("paths").add("vendor/");
            return job;
        }

        List<String> names() throws IOException {
            return calls().stream()
                    .map(c -> c.get(0) + (c.contains("--name") ? ":" + c.get(c.indexOf("--name") + 1) : ""))
                    .toList();
        }

        @Test
        void onSuccessUploadsSuccessAndAlwaysArtifactsAndArchivesTheCache() throws Exception {
            writeExitCode(0);
            Run run = run(job(), "helper", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(names())
                    .containsExactly("cache-archiver", "artifacts-uploader:ok", "artifacts-uploader:reports");
            assertThat(calls().get(2))
                    .containsExactly(
                            "artifacts-uploader",
                            "--url",
                            "https://gitlab.example.com",
                            "--id",
                            "100",
                            "--name",
                            "reports",
                            "--expire-in",
                            "1 week",
                            "--artifact-format",
                            "zip",
                            "--artifact-type",
                            "archive",
                            "--path",
                            "reports/",
                            "--untracked");
        }

        /**
         * A manager reading the build's log file execs into the helper, so the helper, its uploads done, stays until
         * that reader's read at the end of the complete file (the real reader's script, run here by sh as the helper
         * would run it). The real cluster's adopted jobs lost their last lines when it did not.
         */
        @Test
        void whileAManagerReadsTheBuildLogTheHelperStaysUntilTheReadAtItsEnd() throws Exception {
            writeExitCode(0);
            Path log = tmp.resolve("builds/.runner-fleet/build.log");
            Files.writeString(log, "before-the-kill\nafter-the-kill\n");
            assertThat(readLog(log, 0)).isEqualTo("before-the-kill\nafter-the-kill\n");

            Started helper = started(job(), "helper", Map.of());
            await().atMost(Duration.ofSeconds(60)).until(() -> names().size() == 3);
            assertThat(helper.process.waitFor(3, TimeUnit.SECONDS))
                    .as("the helper waits for the reader: %s", helper.outputSoFar())
                    .isFalse();
            assertThat(readLog(log, Files.size(log))).isEmpty();

            assertThat(helper.finish().exitCode()).isZero();
        }

        /** One read as manager.trace.KubernetesLogFiles makes it, by exec into the helper. */
        private String readLog(Path log, long offset) throws Exception {
            Process p = new ProcessBuilder(
                            "/bin/sh",
                            "-c",
                            KubernetesLogFiles.SCRIPT,
                            "read-log",
                            log.toString(),
                            Long.toString(offset),
                            "4096",
                            relocate(JobPaths.EXIT_CODE_FILE))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out).as("the build has ended").startsWith("ended\n");
            return out.substring("ended\n".length());
        }

        @Test
        void onFailureUploadsFailureAndAlwaysArtifactsOnly() throws Exception {
            writeExitCode(1);
            assertThat(run(job(), "helper", Map.of()).exitCode()).isZero();
            assertThat(names()).containsExactly("artifacts-uploader:logs", "artifacts-uploader:reports");
        }

        @Test
        void aFailedUploadFailsTheHelperAFailedCacheDoesNot() throws Exception {
            writeExitCode(0);
            assertThat(run(job(), "helper", Map.of("HELPER_FAIL", "cache-archiver"))
                            .exitCode())
                    .isZero();
            assertThat(run(job(), "helper", Map.of("HELPER_FAIL", "artifacts-uploader"))
                            .exitCode())
                    .isEqualTo(1);
        }

        @Test
        void theTokenReachesTheHelperThroughItsEnvironmentNotItsArguments() throws Exception {
            writeExitCode(0);
            run(job(), "helper", Map.of());
            assertThat(calls())
                    .allSatisfy(call -> assertThat(String.join(" ", call)).doesNotContain(TestJobs.TOKEN));
            Container helper = JobPodBuilderTest.container(
                    TestJobs.build(job(), JobPodBuilderTest.PLAIN).pod(), "helper");
            assertThat(helper.getEnv()).anyMatch(e -> e.getName().equals("CI_JOB_TOKEN") && e.getValueFrom() != null);
        }
    }

    /**
     * The cache as gitlab-runner keeps it: one pod's {@code helper} saves, the next pod's {@code prepare} restores,
     * through the cache directory both mount (here the same temporary directory, as a fleet's volume at /cache).
     */
    @Nested
    class Cache {
        ObjectNode cachedJob(String key, String policy, String when) {
            ObjectNode job = job(sha3, 0);
            variable(job, "CI_COMMIT_REF_NAME", "main"); // GitLab sends it with every job
            ObjectNode cache = job.putArray("cache").addObject();
            if (key != null) {
                cache.put("key", key);
            }
            if (policy != null) {
                cache.put("policy", policy);
            }
            if (when != null) {
                cache.put("when", when);
            }
            cache.putArray("paths").add("vendor/");
            return job;
        }

        /** Runs the build's part by hand: the files a build would leave, then its exit code. */
        Run save(ObjectNode job, int buildExit) throws Exception {
            Files.createDirectories(projectDir().resolve("vendor/lib"));
            Files.writeString(projectDir().resolve("vendor/lib/dep.txt"), "cached by job one\n");
            writeExitCode(buildExit);
            return run(job, "helper", Map.of());
        }

        /** A new pod: a fresh builds directory, the same cache directory. */
        Run restore(ObjectNode job) throws Exception {
            deleteTree(tmp.resolve("builds"));
            return run(job, "prepare", Map.of());
        }

        Path restored() {
            return projectDir().resolve("vendor/lib/dep.txt");
        }

        void deleteTree(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }

        @Test
        void oneJobSavesTheNextRestores() throws Exception {
            Run saved = save(cachedJob("deps-$CI_COMMIT_REF_NAME", null, null), 0);
            assertThat(saved.output()).contains("Creating cache deps-main...", "Created cache");
            assertThat(tmp.resolve("cache/group/app/deps-main/cache.zip")).exists();

            Run restored = restore(cachedJob("deps-$CI_COMMIT_REF_NAME", null, null));
            assertThat(restored.exitCode()).as(restored.output()).isZero();
            assertThat(restored.output()).contains("Checking cache for deps-main...", "Successfully extracted cache");
            assertThat(restored()).hasContent("cached by job one");
        }

        @Test
        void keysAreSanitisedAsGitlabRunnerDoesAndStayInsideTheProjectsCache() throws Exception {
            Run saved = save(cachedJob("..\\..\\%2e%2e/escape/./key  ", null, null), 0);
            assertThat(saved.output())
                    .contains("WARNING: cache key \"..\\..\\%2e%2e/escape/./key  \" sanitized to \"escape/key\"");
            assertThat(tmp.resolve("cache/group/app/escape/key/cache.zip")).exists();
        }

        @Test
        void withoutAKeyTheKeyIsTheJobAndRef() throws Exception {
            Run saved = save(cachedJob(null, null, null), 0);
            assertThat(saved.output()).contains("Creating cache test/main...");
            assertThat(tmp.resolve("cache/group/app/test/main/cache.zip")).exists();
        }

        @Test
        void pullOnlyRestoresAndNeverSaves() throws Exception {
            save(cachedJob("k", null, null), 0);
            int callsBefore = calls().size();
            Run pulled = save(cachedJob("k", "pull", null), 0);
            assertThat(pulled.output()).contains("Not uploading cache k due to policy");
            assertThat(calls()).hasSize(callsBefore);
            assertThat(restore(cachedJob("k", "pull", null)).output()).contains("Successfully extracted cache");
            assertThat(restored()).exists();
        }

        @Test
        void pushOnlySavesAndNeverRestores() throws Exception {
            save(cachedJob("k", "push", null), 0);
            assertThat(tmp.resolve("cache/group/app/k/cache.zip")).exists();
            Run run = restore(cachedJob("k", "push", null));
            assertThat(run.output()).contains("Not downloading cache k due to policy");
            assertThat(restored()).doesNotExist();
        }

        @Test
        void aPolicyFromAVariableIsExpanded() throws Exception {
            ObjectNode job = cachedJob("k", "$CACHE_POLICY", null);
            variable(job, "CACHE_POLICY", "pull");
            assertThat(save(job, 0).output()).contains("Not uploading cache k due to policy");
        }

        @Test
        void anUnknownPolicyRefusesTheJobNamingIt() {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> TestJobs.build(cachedJob("k", "pull-maybe", null), JobPodBuilderTest.PLAIN))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("cache policy \"pull-maybe\" for key \"k\" is unknown");
        }

        @Test
        void whenSavesOnlyForTheMatchingResult() throws Exception {
            save(cachedJob("success", null, "on_success"), 1);
            save(cachedJob("failure", null, "on_failure"), 0);
            save(cachedJob("always-failed", null, "always"), 1);
            save(cachedJob("failure-failed", null, "on_failure"), 1);
            assertThat(tmp.resolve("cache/group/app/success/cache.zip")).doesNotExist();
            assertThat(tmp.resolve("cache/group/app/failure/cache.zip")).doesNotExist();
            assertThat(tmp.resolve("cache/group/app/always-failed/cache.zip")).exists();
            assertThat(tmp.resolve("cache/group/app/failure-failed/cache.zip")).exists();
        }

        @Test
        void fallbackKeysThenCacheFallbackKeyAreTriedInOrder() throws Exception {
            save(cachedJob("from-env", null, null), 0);
            ObjectNode job = cachedJob("feature-$CI_COMMIT_REF_NAME", null, null);
            ((ObjectNode) job.withArray("cache").get(0))
                    .putArray("fallback_keys")
                    .add("missing-$CI_COMMIT_REF_NAME");
            variable(job, "CACHE_FALLBACK_KEY", "from-env");
            Run run = restore(job);
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output())
                    .containsSubsequence(
                            "Checking cache for feature-main...",
                            "WARNING: Failed to extract cache",
                            "Checking cache for missing-main...",
                            "WARNING: Failed to extract cache",
                            "Checking cache for from-env...",
                            "Successfully extracted cache");
            assertThat(restored()).hasContent("cached by job one");
        }

        @Test
        void theFirstKeyThatExtractsWinsAndTheRestAreNotTried() throws Exception {
            save(cachedJob("k", null, null), 0);
            ObjectNode job = cachedJob("k", null, null);
            ((ObjectNode) job.withArray("cache").get(0))
                    .putArray("fallback_keys")
                    .add("other");
            Run run = restore(job);
            assertThat(run.output()).contains("Successfully extracted cache").doesNotContain("other");
        }

        @Test
        void aProtectedCacheFallbackKeyIsRefused() throws Exception {
            save(cachedJob("main-protected", null, null), 0);
            ObjectNode job = cachedJob("feature", null, null);
            variable(job, "CACHE_FALLBACK_KEY", "main-protected. ");
            Run run = restore(job);
            assertThat(run.output())
                    .contains("WARNING: CACHE_FALLBACK_KEY \"main-protected.\" not allowed to end in \"-protected\"")
                    .doesNotContain("Checking cache for main-protected");
            assertThat(restored()).doesNotExist();
        }

        @Test
        void untrackedFilesAreCachedWithThePaths() throws Exception {
            ObjectNode job = cachedJob("k", null, null);
            ((ObjectNode) job.withArray("cache").get(0)).put("untracked", true);
            run(job(sha3, 0), "prepare", Map.of());
            Files.writeString(projectDir().resolve("generated.txt"), "not in git\n");
            save(job, 0);
            Run run = restore(job);
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(projectDir().resolve("generated.txt")).hasContent("not in git");
            assertThat(restored()).exists();
        }

        @Test
        void aFailedArchiveOnlyWarns() throws Exception {
            ObjectNode job = cachedJob("k", null, null);
            Files.createDirectories(projectDir());
            writeExitCode(0);
            Run run = run(job, "helper", Map.of("HELPER_FAIL", "cache-archiver"));
            assertThat(run.exitCode()).isZero();
            assertThat(run.output()).contains("WARNING: Failed to create cache");
        }
    }

    @Nested
    class HostileInput {
        List<String> hostile() {
            String t = tmp.toString();
            return List.of(
                    "$(touch " + t + "/pwned1)",
                    "`touch " + t + "/pwned2`",
                    "'; touch " + t + "/pwned3; echo '",
                    "\"; touch " + t + "/pwned4; echo \"",
                    "x\ntouch " + t + "/pwned5\n",
                    "ünï✓ — 日本 $(touch " + t + "/pwned6) '\\''",
                    "a;touch " + t + "/pwned7&&touch " + t + "/pwned8|",
                    "${HOME} $HOME \\ \\' end");
        }

        void assertNothingRan() throws IOException {
            try (Stream<Path> files = Files.list(tmp)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pwned"));
            }
        }

        @Test
        void inPrepareArgumentsArriveVerbatimAndNothingRuns() throws Exception {
            for (String evil : hostile()) {
                try (Stream<Path> files = Files.walk(records)) {
                    files.filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
                }
                ObjectNode job = job(sha3, 0);
                job.withObject("job_info").put("name", evil);
                variable(job, "GIT_STRATEGY", "none");
                // raw, so it arrives as written (a cache key is expanded: gitlab-runner does too).
                variable(job, "CI_SERVER_URL", evil).put("raw", true);
                job.putArray("cache")
                        .addObject()
                        .put("key", evil)
                        .putArray("paths")
                        .add(evil);
                job.putArray("dependencies")
                        .addObject()
                        .put("id", 7)
                        .put("name", evil)
                        .putObject("artifacts_file")
                        .put("filename", "a.zip");
                Run run = run(job, "prepare", Map.of());
                assertThat(run.exitCode()).as(run.output()).isZero();
                assertThat(calls()).last().isEqualTo(List.of("artifacts-downloader", "--url", evil, "--id", "7"));
            }
            assertNothingRan();
        }

        @Test
        void inGitSettingsNothingRuns() throws Exception {
            for (String evil : hostile()) {
                ObjectNode job = job(evil, 0);
                job.withObject("git_info").putArray("refspecs").add(evil);
                variable(job, "GIT_CLEAN_FLAGS", evil);
                run(job, "prepare", Map.of());
            }
            assertNothingRan();
        }

        @Test
        void inHelperArgumentsArriveVerbatimAndNothingRuns() throws Exception {
            for (String evil : hostile()) {
                try (Stream<Path> files = Files.walk(records)) {
                    files.filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
                }
                writeExitCode(0);
                ObjectNode job = minimal();
                variable(job, "CI_SERVER_URL", "https://gitlab.example.com");
                ObjectNode artifact = job.putArray("artifacts")
                        .addObject()
                        .put("name", evil)
                        .put("expire_in", evil)
                        .put("when", "always");
                artifact.putArray("paths").add(evil);
                artifact.putArray("exclude").add(evil);
                Run run = run(job, "helper", Map.of());
                assertThat(run.exitCode()).as(run.output()).isZero();
                assertThat(calls())
                        .containsExactly(List.of(
                                "artifacts-uploader",
                                "--url",
                                "https://gitlab.example.com",
                                "--id",
                                "100",
                                "--name",
                                evil,
                                "--expire-in",
                                evil,
                                "--path",
                                evil,
                                "--exclude",
                                evil));
            }
            assertNothingRan();
        }

        @Test
        void inVariableValuesTheBuildSeesTextNotCommands() throws Exception {
            Files.createDirectories(projectDir());
            Files.createDirectories(tmp.resolve("builds/.runner-fleet"));
            List<String> values = hostile();
            ObjectNode job = minimal();
            // raw: the values must reach the shell as written (expansion has its own test).
            for (int i = 0; i < values.size(); i++) {
                variable(job, "EVIL_" + i, values.get(i)).put("raw", true);
            }
            variable(job, "EVIL_MASKED", values.get(0)).put("masked", true).put("raw", true);
            ArrayNode script = (ArrayNode) job.withArray("steps").get(0).get("script");
            script.removeAll();
            for (int i = 0; i < values.size(); i++) {
                script.add("printf '[%s]\\n' \"$EVIL_" + i + "\"");
            }
            script.add("printf '[%s]\\n' \"$EVIL_MASKED\"");
            Run run = run(job, "build", Map.of());
            assertThat(run.exitCode()).as(run.output()).isZero();
            for (String value : values) {
                assertThat(run.output()).contains("[" + value + "]");
            }
            assertNothingRan();
        }
    }

    /**
     * {@link HostilePayloads}: a contained payload's prepare, build and helper scripts run with real sh and never
     * execute the injected text (the canary file stays absent) nor write beside the builds and cache directories;
     * a refused one is refused by the builder, naming what is wrong.
     */
    @Nested
    class HostilePayloadTable {
        static final Set<String> EXPECTED_ENTRIES =
                Set.of("bin", "home", "records", "builds", "cache", "files", "termination-log", "origin.git");

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.runnerfleet.testing.HostilePayloads#contained")
        void runsContained(HostilePayloads.Payload payload) throws Exception {
            Path canary = tmp.resolve("canary");
            ObjectNode job = job(sha3, 0);
            payload.edit().accept(job, "touch " + canary);
            Set<String> before = entries();

            for (String container : List.of("prepare", "build", "helper")) {
                run(job, container, Map.of());
                assertThat(canary).as("after %s", container).doesNotExist();
            }
            Set<String> after = entries();
            after.removeAll(before);
            assertThat(after)
                    .as("written beside the builds and cache directories")
                    .allMatch(name -> EXPECTED_ENTRIES.contains(name) || name.startsWith("output-"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.runnerfleet.testing.HostilePayloads#refused")
        void isRefusedNamingWhatIsWrong(HostilePayloads.Payload payload) {
            ObjectNode job = job(sha3, 0);
            payload.edit().accept(job, "touch " + tmp.resolve("canary"));
            assertThatThrownBy(() -> TestJobs.build(job, context))
                    .isInstanceOfAny(JobPodException.class, InvalidInputException.class)
                    .hasMessageContaining(payload.refusal());
        }

        Set<String> entries() throws IOException {
            try (Stream<Path> files = Files.list(tmp)) {
                return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(HashSet::new));
            }
        }
    }
}
