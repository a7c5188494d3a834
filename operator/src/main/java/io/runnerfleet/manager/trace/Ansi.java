package io.runnerfleet.manager.trace;

/** The ANSI sequences gitlab-runner writes into traces ({@code helpers/ansi_colors.go}), byte for byte. */
public final class Ansi {
    public static final String BOLD_RED = "\033[31;1m";
    public static final String BOLD_GREEN = "\033[32;1m";
    public static final String BOLD_YELLOW = "\033[33;1m";
    public static final String BOLD_CYAN = "\033[36;1m";
    public static final String YELLOW = "\033[0;33m";
    public static final String RESET = "\033[0;m";
    /** Erase to end of line: GitLab's section markers and its logger's line prefix. */
    public static final String CLEAR = "\033[0K";

    private Ansi() {}
}
