package io.runnerfleet.testing.gitlab;

import java.time.Duration;
import java.util.Set;

/**
 * Which requests the {@link TestGitLab} answers badly, drawn from a seeded random in arrival order (deterministic
 * for a sequential client).
 *
 * @param errorRate   fraction answered {@code errorStatus} without being processed (a proxy's 5xx)
 * @param timeoutRate fraction held {@code timeoutDelay} (past the client's timeout) and then processed: GitLab did
 *                    the work but the client never hears of it
 * @param slowRate    fraction held {@code slowDelay} and then processed normally
 * @param endpoints   endpoint labels ({@code request_job}, {@code update_job}, {@code patch_trace},
 *                    {@code verify_runner}, {@code reset_token}) the plan applies to
 */
public record FaultPlan(
        long seed,
        double errorRate,
        int errorStatus,
        double timeoutRate,
        Duration timeoutDelay,
        double slowRate,
        Duration slowDelay,
        Set<String> endpoints) {

    public static final FaultPlan NONE = new FaultPlan(0, 0, 500, 0, Duration.ZERO, 0, Duration.ZERO, Set.of());

    public FaultPlan {
        if (errorRate + timeoutRate + slowRate > 1.0) {
            throw new IllegalArgumentException("fault rates add up to more than 1");
        }
        endpoints = Set.copyOf(endpoints);
    }

    /** {@code rate} of the calls to {@code endpoints} fail: half with a 5xx, half delayed past the client timeout. */
    public static FaultPlan flaky(long seed, double rate, Duration timeoutDelay, String... endpoints) {
        return new FaultPlan(seed, rate / 2, 502, rate / 2, timeoutDelay, 0, Duration.ZERO, Set.of(endpoints));
    }

    public static FaultPlan errors(long seed, double rate, int status, String... endpoints) {
        return new FaultPlan(seed, rate, status, 0, Duration.ZERO, 0, Duration.ZERO, Set.of(endpoints));
    }

    public static FaultPlan timeouts(long seed, double rate, Duration delay, String... endpoints) {
        return new FaultPlan(seed, 0, 500, rate, delay, 0, Duration.ZERO, Set.of(endpoints));
    }

    public static FaultPlan slow(long seed, double rate, Duration delay, String... endpoints) {
        return new FaultPlan(seed, 0, 500, 0, Duration.ZERO, rate, delay, Set.of(endpoints));
    }

    /** The faults a request draws. */
    public enum Fault {
        NONE,
        ERROR,
        TIMEOUT,
        SLOW
    }
}
