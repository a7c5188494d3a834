package io.runnerfleet.gitlab.client;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long to wait before retrying, as gitlab-runner's retry requester: what GitLab asked for
 * ({@code RateLimit-ResetTime}, else {@code Retry-After}), else an exponential back-off with jitter; never more
 * than the back-off maximum.
 */
final class Backoff {
    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);

    private final Duration min;
    private final Duration max;

    Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /** The wait after a retryable answer: the server's, when it named one, else {@link #after(int)}. */
    Duration after(Exchange answer, int attempt) {
        return serverWait(answer).orElseGet(() -> after(attempt));
    }

    /** Exponential back-off with jitter: a random wait in [min, min·2^(attempt-1)], capped at max. */
    Duration after(int attempt) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        double ceiling = Math.min((double) maxNanos, minNanos * Math.pow(2, attempt - 1));
        long jittered = (long) (minNanos + ThreadLocalRandom.current().nextDouble() * Math.max(0, ceiling - minNanos));
        return Duration.ofNanos(Math.min(maxNanos, jittered));
    }

    /** {@code RateLimit-ResetTime} (RFC 1123), else {@code Retry-After} (seconds), capped at the maximum. */
    private Optional<Duration> serverWait(Exchange answer) {
        String reset = answer.header("RateLimit-ResetTime");
        if (reset != null) {
            try {
                Duration until = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(reset.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                if (!until.isNegative() && !until.isZero()) {
                    return Optional.of(cap(until));
                }
            } catch (DateTimeParseException e) {
                LOG.warn("gitlab unparsable header header=RateLimit-ResetTime");
            }
        }
        String retryAfter = answer.header("Retry-After");
        if (retryAfter != null) {
            try {
                long seconds = Long.parseLong(retryAfter.strip());
                if (seconds > 0) {
                    return Optional.of(cap(Duration.ofSeconds(seconds)));
                }
            } catch (NumberFormatException e) {
                LOG.warn("gitlab unparsable header header=Retry-After");
            }
        }
        return Optional.empty();
    }

    private Duration cap(Duration d) {
        return d.compareTo(max) > 0 ? max : d;
    }
}
