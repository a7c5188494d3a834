package io.runnerfleet.manager;

import io.runnerfleet.base.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner authentication token. Its {@code toString} never shows it, so a log line or an exception message that
 * includes it by accident stays safe; {@link #value()} is for the GitLab client's request bodies only.
 *
 * <p>A token read from a file follows that file: when the fleet's token is rotated, the new one is written into the
 * Secret mounted there, the kubelet swaps the file (within about a minute), and {@link #reloadIfDue} or, after GitLab
 * refused the token, {@link #reload} picks it up without a restart. gitlab-runner keeps its token in config.toml and
 * re-reads that file when it changes (commands/multi.go); a file of its own keeps the token out of config.toml, so a
 * rotation never changes the config hash and rolls no pod.
 */
public final class RunnerToken {
    public static final String ENV = "RUNNER_TOKEN";
    /** How often the file is read again without a reason: well within the kubelet's own delay. */
    static final Duration RELOAD_EVERY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RunnerToken.class);
    private static final String[] PREFIXES = {"glrt-", "glrtr-", "glcbt-"};

    private final Optional<Path> file;
    /**
     * Of the token the process started with, and kept across rotations: it names this runner in metrics and in its
     * Job Pods' labels, which adoption after a restart matches on.
     */
    private final String shortId;

    private volatile String value;
    private Instant lastRead;
    /**
     * Tokens this process rotated away ({@link #rotatedTo}): GitLab refuses them, yet the file may hold one for a
     * minute more (the kubelet refreshes a mounted Secret late) or for good (the Secret write failed), and reading it
     * back must not replace the new token.
     */
    private final Set<String> rotatedAway = new HashSet<>();

    private RunnerToken(String value, Optional<Path> file, Instant readAt) {
        this.value = value;
        this.file = file;
        this.shortId = shortIdOf(value);
        this.lastRead = readAt;
    }

    public static RunnerToken of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the runner token is empty");
        }
        return new RunnerToken(value.strip(), Optional.empty(), Instant.MIN);
    }

    /** A token read from {@code file} now, and re-read from it by {@link #reload}. */
    public static RunnerToken following(Path file, Instant now) {
        return new RunnerToken(read(file).strip(), Optional.of(file), now);
    }

    /**
     * From {@code --token-file} when given, else from {@code RUNNER_TOKEN}; the message says how to fix a missing
     * or empty one, without ever echoing a value.
     */
    public static RunnerToken load(Optional<Path> tokenFile, Map<String, String> environment) {
        if (tokenFile.isPresent()) {
            return following(tokenFile.get(), Instant.now());
        }
        String fromEnv = environment.get(ENV);
        if (fromEnv == null || fromEnv.isBlank()) {
            throw new IllegalArgumentException("no runner token: pass --token-file FILE or set " + ENV
                    + " (the Deployment sets it from the fleet's token Secret)");
        }
        return of(fromEnv);
    }

    private static String read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                throw new IllegalArgumentException("--token-file " + file + " is empty; put the "
                        + "runner authentication token (glrt-...) in it");
            }
            return text;
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + " " + TextFiles.problem(e));
        }
    }

    public String value() {
        return value;
    }

    /** {@link #reload} when the file was last read {@link #RELOAD_EVERY} or longer ago. */
    public boolean reloadIfDue(Instant now) {
        synchronized (this) {
            if (file.isEmpty() || now.isBefore(lastRead.plus(RELOAD_EVERY))) {
                return false;
            }
        }
        return reload(now);
    }

    /**
     * Reads the file again; true when it holds another token, which is used from then on. An unreadable or empty
     * file (a Secret being swapped) keeps the token in use: it may well still be valid.
     */
    public synchronized boolean reload(Instant now) {
        if (file.isEmpty()) {
            return false;
        }
        lastRead = now;
        String fresh;
        try {
            fresh = read(file.get()).strip();
        } catch (IllegalArgumentException e) {
            LOG.warn("runner token not re-read, the one in use stays: {}", e.getMessage());
            return false;
        }
        if (fresh.equals(value) || rotatedAway.contains(fresh)) {
            return false;
        }
        value = fresh;
        LOG.info("runner token changed in {}; using the new one", file.get());
        return true;
    }

    /**
     * This process reset the token at GitLab: {@code fresh} is used from now on and the one it replaced is never
     * read back from the file. Not logged with either value.
     */
    public synchronized void rotatedTo(String fresh) {
        if (fresh == null || fresh.isBlank() || fresh.strip().equals(value)) {
            return;
        }
        rotatedAway.add(value);
        value = fresh.strip();
    }

    /** gitlab-runner's short token: 9 characters after the prefix, the runner's public short id in GitLab. */
    public String shortId() {
        return shortId;
    }

    private static String shortIdOf(String value) {
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
