package io.runnerfleet.manager.trace;

import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * GitLab's collapsible trace sections, byte for byte as gitlab-runner writes them ({@code helpers/build_section.go},
 * {@code common/build.go}, {@code common/buildlogger}):
 * <pre>
 * section_start:&lt;unix seconds&gt;:&lt;name&gt;\r\033[0K           (then the header line, see {@link #header})
 * section_end:&lt;unix seconds&gt;:&lt;name&gt;\r\033[0K
 * </pre>
 * The timestamps are the only part of a trace that depends on when it was written: they come from the clock this was
 * made with (tests use a fixed one).
 */
public final class Sections {
    public static final String PREPARE_EXECUTOR = "prepare_executor";
    public static final String PREPARE_SCRIPT = "prepare_script";
    public static final String GET_SOURCES = "get_sources";
    public static final String RESTORE_CACHE = "restore_cache";
    public static final String DOWNLOAD_ARTIFACTS = "download_artifacts";
    public static final String STEP_SCRIPT = "step_script";
    public static final String AFTER_SCRIPT = "after_script";
    public static final String ARCHIVE_CACHE = "archive_cache";
    public static final String ARCHIVE_CACHE_ON_FAILURE = "archive_cache_on_failure";
    public static final String UPLOAD_ARTIFACTS_ON_SUCCESS = "upload_artifacts_on_success";
    public static final String UPLOAD_ARTIFACTS_ON_FAILURE = "upload_artifacts_on_failure";
    public static final String CLEANUP_FILE_VARIABLES = "cleanup_file_variables";

    /** What GitLab's parser accepts as a section name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** gitlab-runner's {@code GetStageDescription}. */
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(PREPARE_SCRIPT, "Preparing environment"),
            Map.entry(GET_SOURCES, "Getting source from Git repository"),
            Map.entry(RESTORE_CACHE, "Restoring cache"),
            Map.entry(DOWNLOAD_ARTIFACTS, "Downloading artifacts"),
            Map.entry(AFTER_SCRIPT, "Running after_script"),
            Map.entry(ARCHIVE_CACHE, "Saving cache for successful job"),
            Map.entry(ARCHIVE_CACHE_ON_FAILURE, "Saving cache for failed job"),
            Map.entry(UPLOAD_ARTIFACTS_ON_SUCCESS, "Uploading artifacts for successful job"),
            Map.entry(UPLOAD_ARTIFACTS_ON_FAILURE, "Uploading artifacts for failed job"),
            Map.entry(CLEANUP_FILE_VARIABLES, "Cleaning up project directory and file based variables"));

    private final Clock clock;

    public Sections(Clock clock) {
        this.clock = clock;
    }

    /** {@code section_start:<now>:<name>\r\033[0K}. */
    public String start(String name) {
        return start(now(), name, false);
    }

    /** {@code section_end:<now>:<name>\r\033[0K}. */
    public String end(String name) {
        return end(now(), name);
    }

    public static String start(long unixSeconds, String name, boolean collapsed) {
        return "section_start:" + unixSeconds + ":" + checkName(name) + (collapsed ? "[collapsed=true]" : "") + "\r"
                + Ansi.CLEAR;
    }

    public static String end(long unixSeconds, String name) {
        return "section_end:" + unixSeconds + ":" + checkName(name) + "\r" + Ansi.CLEAR;
    }

    /**
     * A section's header line as gitlab-runner prints it: {@code logger.Println(ANSI_BOLD_CYAN + text + ANSI_RESET)},
     * that is {@code \033[0K\033[36;1m<text>\033[0;m\033[0;m\n}.
     */
    public static String header(String text) {
        return line(Ansi.BOLD_CYAN + text + Ansi.RESET);
    }

    /** A plain runner message as gitlab-runner's {@code Println}: {@code \033[0K<text>\033[0;m\n}. */
    public static String line(String text) {
        return Ansi.CLEAR + text + Ansi.RESET + "\n";
    }

    /** The header gitlab-runner prints for a stage ({@code GetStageDescription}). */
    public static String description(String stage) {
        String known = DESCRIPTIONS.get(stage);
        return known != null ? known : "Executing \"" + stage + "\" stage of the job script";
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a GitLab section name: " + name);
        }
        return name;
    }
}
