package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the prepare container gets the sources, from git_info and the job's {@code GIT_*} variables. */
record GitSettings(
        Strategy strategy,
        int depth,
        List<String> refspecs,
        String sha,
        Submodules submodules,
        boolean checkout,
        boolean lfs,
        List<String> cleanFlags,
        List<String> warnings) {

    enum Strategy {
        CLONE,
        FETCH,
        NONE
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
                .map(s -> parse(Strategy.class, s, "GIT_STRATEGY", "clone, fetch or none"))
                .orElse(job.allowGitFetch() ? Strategy.FETCH : Strategy.CLONE);
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
        Submodules submodules = variables
                .value("GIT_SUBMODULE_STRATEGY")
                .filter(s -> !s.isBlank())
                .map(s -> parse(Submodules.class, s, "GIT_SUBMODULE_STRATEGY", "none, normal or recursive"))
                .orElse(Submodules.NONE);
        boolean checkout =
                !variables.value("GIT_CHECKOUT").orElse("true").trim().equalsIgnoreCase("false");
        boolean lfs = !variables.value("GIT_LFS_SKIP_SMUDGE").orElse("").trim().equals("1");
        String clean = variables.value("GIT_CLEAN_FLAGS").orElse("-ffdx").trim();
        List<String> cleanFlags = clean.equals("none") || clean.isEmpty() ? List.of() : List.of(clean.split("\\s+"));
        return new GitSettings(
                strategy,
                depth,
                refspecs(job),
                job.gitInfo().sha(),
                submodules,
                checkout,
                lfs,
                cleanFlags,
                List.copyOf(warnings));
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
