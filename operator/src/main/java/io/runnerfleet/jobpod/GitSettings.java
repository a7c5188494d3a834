package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the prepare container gets the sources, from git_info and the job's {@code GIT_*} variables, read as
 * gitlab-runner's {@code common/build_settings.go} ({@code validateVariables}) reads them: flags are split on white
 * space, {@code none} means no flags, and a malformed number or boolean falls back to the default with a warning.
 *
 * @param fetchFlags           {@code GIT_FETCH_EXTRA_FLAGS}; gitlab-runner's default {@code --prune --quiet}
 * @param submodulePaths       {@code GIT_SUBMODULE_PATHS}: pathspecs after {@code --}
 * @param submoduleDepth       {@code GIT_SUBMODULE_DEPTH}, by default the fetch depth; 0 for the full history
 * @param submoduleUpdateFlags {@code GIT_SUBMODULE_UPDATE_FLAGS}
 * @param submoduleForceHttps  {@code GIT_SUBMODULE_FORCE_HTTPS}: SSH submodule URLs of the GitLab server are
 *                             fetched over HTTPS with the job token
 * @param objectFormat         {@code git_info.repo_object_format}: {@code sha1} or {@code sha256}
 */
record GitSettings(
        Strategy strategy,
        int depth,
        List<String> refspecs,
        String sha,
        Submodules submodules,
        boolean checkout,
        boolean lfs,
        List<String> cleanFlags,
        List<String> fetchFlags,
        List<String> submodulePaths,
        int submoduleDepth,
        List<String> submoduleUpdateFlags,
        boolean submoduleForceHttps,
        String objectFormat,
        List<String> warnings) {

    enum Strategy {
        CLONE,
        FETCH,
        NONE,
        /** No repository, and an emptied project directory ({@code GitEmpty} in gitlab-runner). */
        EMPTY
    }

    enum Submodules {
        NONE,
        NORMAL,
        RECURSIVE
    }

    static GitSettings of(JobPayload job, JobVariables variables) {
        List<String> warnings = new ArrayList<>();
        Strategy strategy = variables
                .value("GIT_STRATEGY")
                .filter(s -> !s.isBlank())
                .map(s -> parse(Strategy.class, s, "GIT_STRATEGY", "clone, fetch, none or empty"))
                .orElse(job.allowGitFetch() ? Strategy.FETCH : Strategy.CLONE);
        boolean noRepository = strategy == Strategy.NONE || strategy == Strategy.EMPTY;
        int depth = job.gitInfo().depth();
        String depthVariable = variables.value("GIT_DEPTH").orElse("").trim();
        if (!depthVariable.isEmpty()) {
            if (depthVariable.matches("^[0-9]{1,9}$")) {
                depth = Integer.parseInt(depthVariable);
            } else {
                warnings.add("GIT_DEPTH is not a whole number; fetching the full history");
                depth = 0;
            }
        }
        // gitlab-runner's GetSubmoduleStrategy and GetGitCheckout: nothing to update or check out without a repository.
        Submodules submodules = noRepository
                ? Submodules.NONE
                : variables
                        .value("GIT_SUBMODULE_STRATEGY")
                        .filter(s -> !s.isBlank())
                        .map(s -> parse(Submodules.class, s, "GIT_SUBMODULE_STRATEGY", "none, normal or recursive"))
                        .orElse(Submodules.NONE);
        boolean checkout = !noRepository
                && !variables.value("GIT_CHECKOUT").orElse("true").trim().equalsIgnoreCase("false");
        boolean lfs = !variables.value("GIT_LFS_SKIP_SMUDGE").orElse("").trim().equals("1");
        String clean = variables.value("GIT_CLEAN_FLAGS").orElse("-ffdx").trim();
        List<String> cleanFlags = clean.equals("none") || clean.isEmpty() ? List.of() : fields(clean);
        String fetch = variables.value("GIT_FETCH_EXTRA_FLAGS").orElse("").trim();
        List<String> fetchFlags =
                fetch.isEmpty() ? List.of("--prune", "--quiet") : fetch.equals("none") ? List.of() : fields(fetch);
        List<String> submodulePaths =
                fields(variables.value("GIT_SUBMODULE_PATHS").orElse(""));
        if (submodulePaths.contains(":(exclude)")) {
            // common/build.go GetSubmodulePaths: a lone ":(exclude)" would exclude nothing and confuse git.
            throw new JobPodException("variable GIT_SUBMODULE_PATHS has a lone \":(exclude)\"; write the path right "
                    + "after it, e.g. \":(exclude)libs/big\"");
        }
        int submoduleDepth = depth;
        String submoduleDepthVariable =
                variables.value("GIT_SUBMODULE_DEPTH").orElse("").trim();
        if (!submoduleDepthVariable.isEmpty()) {
            if (submoduleDepthVariable.matches("^[0-9]{1,9}$")) {
                submoduleDepth = Integer.parseInt(submoduleDepthVariable);
            } else {
                warnings.add("GIT_SUBMODULE_DEPTH is not a whole number; using the fetch depth (" + depth + ")");
            }
        }
        List<String> submoduleUpdateFlags =
                fields(variables.value("GIT_SUBMODULE_UPDATE_FLAGS").orElse(""));
        boolean forceHttps = bool(variables, "GIT_SUBMODULE_FORCE_HTTPS", warnings);
        String objectFormat = job.gitInfo().objectFormat();
        if (!objectFormat.matches("^[a-z0-9]{1,16}$")) {
            throw new JobPodException("git_info.repo_object_format \"" + ServiceHostnames.printable(objectFormat)
                    + "\" is not a git object format; GitLab sends sha1 or sha256");
        }
        return new GitSettings(
                strategy,
                depth,
                refspecs(job),
                job.gitInfo().sha(),
                submodules,
                checkout,
                lfs,
                cleanFlags,
                fetchFlags,
                submodulePaths,
                submoduleDepth,
                submoduleUpdateFlags,
                forceHttps,
                objectFormat,
                List.copyOf(warnings));
    }

    /** Go's {@code strings.Fields}. */
    private static List<String> fields(String value) {
        String trimmed = value.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    /** Go's {@code strconv.ParseBool}; anything else warns and counts as false, gitlab-runner's default. */
    private static boolean bool(JobVariables variables, String name, List<String> warnings) {
        String value = variables.value(name).orElse("").trim();
        return switch (value) {
            case "" -> false;
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> {
                warnings.add(name + " is not true or false; using false");
                yield false;
            }
        };
    }

    private static List<String> refspecs(JobPayload job) {
        if (!job.gitInfo().refspecs().isEmpty()) {
            return job.gitInfo().refspecs();
        }
        String ref = job.gitInfo().ref();
        if (ref == null || ref.isBlank()) {
            return List.of("+refs/heads/*:refs/remotes/origin/*");
        }
        return "tag".equals(job.gitInfo().refType())
                ? List.of("+refs/tags/" + ref + ":refs/tags/" + ref)
                : List.of("+refs/heads/" + ref + ":refs/remotes/origin/" + ref);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String variable, String expected) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JobPodException("variable " + variable + " = \"" + ServiceHostnames.printable(value)
                    + "\" is unknown; use " + expected);
        }
    }
}
