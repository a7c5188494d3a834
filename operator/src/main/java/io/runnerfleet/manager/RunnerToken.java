package io.runnerfleet.manager;

import io.runnerfleet.base.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The runner authentication token. Its {@code toString} never shows it, so a log line or an exception message that
 * includes it by accident stays safe; {@link #value()} is for the GitLab client's request bodies only.
 */
public final class RunnerToken {
    public static final String ENV = "RUNNER_TOKEN";
    private static final String[] PREFIXES = {"glrt-", "glrtr-", "glcbt-"};

    private final String value;

    private RunnerToken(String value) {
        this.value = value;
    }

    public static RunnerToken of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the runner token is empty");
        }
        return new RunnerToken(value.strip());
    }

    /**
     * From {@code --token-file} when given, else from {@code RUNNER_TOKEN}; the message says how to fix a missing
     * or empty one, without ever echoing a value.
     */
    public static RunnerToken load(Optional<Path> tokenFile, Map<String, String> environment) {
        if (tokenFile.isPresent()) {
            try {
                String text = Files.readString(tokenFile.get(), StandardCharsets.UTF_8);
                if (text.isBlank()) {
                    throw new IllegalArgumentException("--token-file " + tokenFile.get() + " is empty; put the "
                            + "runner authentication token (glrt-...) in it");
                }
                return of(text);
            } catch (IOException e) {
                throw new IllegalArgumentException("--token-file " + tokenFile.get() + " " + TextFiles.problem(e));
            }
        }
        String fromEnv = environment.get(ENV);
        if (fromEnv == null || fromEnv.isBlank()) {
            throw new IllegalArgumentException("no runner token: pass --token-file FILE or set " + ENV
                    + " (the Deployment sets it from the fleet's token Secret)");
        }
        return of(fromEnv);
    }

    public String value() {
        return value;
    }

    /** gitlab-runner's short token: 9 characters after the prefix, the runner's public short id in GitLab. */
    public String shortId() {
        String rest = value;
        for (String prefix : PREFIXES) {
            if (rest.startsWith(prefix)) {
                rest = rest.substring(prefix.length());
                break;
            }
        }
        return rest.substring(0, Math.min(9, rest.length()));
    }

    @Override
    public String toString() {
        return "RunnerToken[redacted]";
    }
}
