package io.runnerfleet.gitlab.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps runner and job tokens out of logs and {@code toString()}s. The client never logs a token; this is for the
 * text that might still carry one (a URL with credentials, a server message echoing a request).
 */
public final class JobTokenRedaction {
    /** What a token is replaced with. */
    public static final String MASK = "[MASKED]";

    private static final Pattern URL_USERINFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]*@");
    /** Token shapes GitLab issues: runner ({@code glrt-}), job ({@code glcbt-}), personal ({@code glpat-}), ... */
    private static final Pattern GITLAB_TOKEN = Pattern.compile(
            "\\b(glrt|glcbt|glpat|gldt|glrtr|glptt|glft|glimt|glagent|gloas|glsoat|glffct|GR1348941)-[A-Za-z0-9_.=-]+");

    private JobTokenRedaction() {}

    /** Replaces every occurrence of each given token, and anything shaped like a GitLab token, with {@link #MASK}. */
    public static String redact(String text, String... tokens) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String token : tokens) {
            if (token != null && !token.isEmpty()) {
                out = out.replace(token, MASK);
            }
        }
        out = URL_USERINFO.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
        return GITLAB_TOKEN.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
    }

    /** A URL without its {@code user:password@} part, as gitlab-runner's {@code RepoCleanURL} logs repositories. */
    public static String cleanUrl(String url) {
        if (url == null) {
            return null;
        }
        return URL_USERINFO.matcher(url).replaceAll("$1");
    }
}
