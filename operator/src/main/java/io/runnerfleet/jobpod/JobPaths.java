package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobPayload;
import java.util.regex.Pattern;

/**
 * Where things are inside the Job Pod. {@code /builds} is an emptyDir every container mounts; the sources go to
 * {@code /builds/<namespace>/<project>} as with gitlab-runner; the containers talk through files in
 * {@code /builds/.runner-fleet} (GitLab namespaces cannot start with a dot, so no project can land there).
 */
public final class JobPaths {
    public static final String BUILDS_DIR = "/builds";
    public static final String STATE_DIR = BUILDS_DIR + "/.runner-fleet";
    /** Written by the build container when it is done: the script's exit code. The helper waits for it. */
    public static final String EXIT_CODE_FILE = STATE_DIR + "/build-exit-code";
    /** Written by {@code prepare} first of all: the job's start (seconds since the epoch), for the script timer. */
    public static final String JOB_STARTED_FILE = STATE_DIR + "/job-started";
    /**
     * The build container's termination message (Kubernetes' default {@code terminationMessagePath}): {@code timedout}
     * or {@code canceled} when the script was stopped; the kubelet copies it into the container's terminated state.
     */
    public static final String TERMINATION_MESSAGE_FILE = "/dev/termination-log";
    /**
     * The build container's output, byte for byte and in order, as its log had it (the wrapper tees it): where a
     * manager reads what the kubelet rotated away before it could follow it (adoption, a follow stream that ended at
     * a rotation). gitlab-runner keeps its build log in a file in the pod the same way and reads it at byte offsets
     * ({@code executors/kubernetes/log_processor.go}, {@code commands/helpers/read_logs.go}).
     */
    public static final String BUILD_LOG_FILE = STATE_DIR + "/build.log";
    /** Written instead of {@link #BUILD_LOG_FILE} when the job's image cannot tee (no {@code tee} or {@code mkfifo}). */
    public static final String BUILD_LOG_UNAVAILABLE_FILE = BUILD_LOG_FILE + ".unavailable";
    /**
     * Each read of {@link #BUILD_LOG_FILE} by a manager (an exec into the helper) appends a line here: the helper
     * stays up at its end while such reads keep coming (manager.trace.KubernetesLogFiles writes it).
     */
    public static final String BUILD_LOG_READER_FILE = BUILD_LOG_FILE + ".reader";
    /** Made by the manager's read at the end of the complete {@link #BUILD_LOG_FILE}: the helper may exit. */
    public static final String BUILD_LOG_READ_FILE = BUILD_LOG_FILE + ".read";
    /** Written by the helper (services as plain containers) once every service port accepts connections. */
    public static final String SERVICES_READY_FILE = STATE_DIR + "/services-ready";
    /** Where file variables appear in the build container, one file per variable. */
    public static final String FILES_DIR = "/run/runner-fleet/files";
    /** Cache archives; ephemeral unless the fleet mounts a volume here. */
    public static final String CACHE_DIR = "/cache";

    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]*$");

    private JobPaths() {}

    /** {@code /builds/<project_full_path>}, from {@code job_info.project_full_path} or else the repository URL. */
    public static String projectDir(JobPayload job) {
        String path = job.jobInfo().projectFullPath();
        if (path == null || path.isBlank()) {
            path = pathOfUrl(job.gitInfo().repoUrl());
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals("..")) {
                throw new JobPodException("job_info.project_full_path \"" + ServiceHostnames.printable(path)
                        + "\" is not a GitLab project path (segments of letters, digits, '_', '-' and '.')");
            }
        }
        return BUILDS_DIR + "/" + path;
    }

    /**
     * Where the sources go: {@code uniqueDir}, or {@code GIT_CLONE_PATH} when the job sets it. As gitlab-runner's
     * {@code common/build.go} {@code getCustomBuildDir}: only with {@code custom_build_dir} enabled, and only inside
     * the builds directory. Unlike gitlab-runner we also refuse {@code /builds} itself and our state directory, which
     * a clone would delete.
     */
    public static String buildDir(
            String uniqueDir, java.util.Optional<String> clonePath, boolean customBuildDirEnabled) {
        String value = clonePath.orElse("");
        if (value.isEmpty()) {
            return uniqueDir;
        }
        if (!customBuildDirEnabled) {
            throw new JobPodException("setting GIT_CLONE_PATH is not allowed, enable `custom_build_dir` feature "
                    + "(spec.runner.customBuildDir: true, or [runners.custom_build_dir] enabled = true)");
        }
        boolean absolute = value.startsWith("/") && value.indexOf('\0') < 0;
        String clean = absolute ? java.nio.file.Path.of(value).normalize().toString() : value;
        String relative = absolute
                ? java.nio.file.Path.of(BUILDS_DIR)
                        .relativize(java.nio.file.Path.of(clean))
                        .toString()
                : "..";
        if (relative.startsWith("..")
                || relative.isEmpty()
                || clean.equals(STATE_DIR)
                || clean.startsWith(STATE_DIR + "/")) {
            throw new JobPodException("the GIT_CLONE_PATH=\"" + ServiceHostnames.printable(value) + "\" has to be "
                    + "within \"" + BUILDS_DIR + "\" (for example $CI_BUILDS_DIR/my-project), and not "
                    + STATE_DIR);
        }
        return clean;
    }

    private static String pathOfUrl(String url) {
        String withoutScheme = url.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://[^/]*/", "");
        return withoutScheme.replaceFirst("\\.git/?$", "").replaceFirst("/+$", "");
    }
}
