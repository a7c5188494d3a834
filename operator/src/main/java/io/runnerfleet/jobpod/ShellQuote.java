package io.runnerfleet.jobpod;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX sh quoting: every value becomes one single-quoted word, {@code '} written as {@code '\''}. Inside single
 * quotes sh expands nothing, so no value can run a command.
 */
public final class ShellQuote {
    /** No glob, tilde, expansion, quote, separator or assignment character. */
    private static final java.util.regex.Pattern SAFE_WORD = java.util.regex.Pattern.compile("^[A-Za-z0-9_./:@%+,-]+$");

    private ShellQuote() {}

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            // exec() cannot pass a NUL byte; sh would see a truncated word.
            throw new JobPodException("a script or variable contains a NUL character, which no shell can receive");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Command words: left bare when nothing in them is special to sh, for a readable script. */
    public static String quoteAll(List<String> words) {
        return words.stream().map(ShellQuote::word).collect(Collectors.joining(" "));
    }

    static String word(String value) {
        return SAFE_WORD.matcher(value).matches() ? value : quote(value);
    }
}
