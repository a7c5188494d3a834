package io.runnerfleet.testing.gitlab;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Which requests the {@link TestGitLab} answers badly, drawn from a seeded random in arrival order (deterministic
 * for a sequential client). One draw per request; a fault that cannot happen on the request's endpoint (see
 * {@link Fault#appliesTo}) gives its share to the others, so {@link #totalRate()} of the calls to each endpoint in
 * {@code endpoints} are faulty.
 *
 * @param errorRate         fraction answered {@code errorStatus} without being processed (a proxy's 5xx)
 * @param timeoutRate       fraction held {@code timeoutDelay} (past the client's timeout) and then processed: GitLab
 *                          did the work but the client never hears of it
 * @param slowRate          fraction held {@code slowDelay} and then processed normally (a stall)
 * @param rateLimitRate     fraction answered 429 with {@code Retry-After: retryAfterSeconds}, not processed
 * @param resetRate         fraction processed, then the connection is closed after part of the answer
 * @param rangeLossRate     fraction of trace PATCHes on which GitLab loses the end of the trace it had
 * @param conflictRate      fraction of job PUTs answered 409 without being processed
 * @param endpoints         endpoint labels ({@code request_job}, {@code update_job}, {@code patch_trace},
 *                          {@code verify_runner}, {@code reset_token}) the plan applies to
 */
public record FaultPlan(
        long seed,
        double errorRate,
        int errorStatus,
        double timeoutRate,
        Duration timeoutDelay,
        double slowRate,
        Duration slowDelay,
        double rateLimitRate,
        int retryAfterSeconds,
        double resetRate,
        double rangeLossRate,
        double conflictRate,
        Set<String> endpoints) {

    public static final FaultPlan NONE = new FaultPlan(0, 0, 500, 0, Duration.ZERO, 0, Duration.ZERO, Set.of());

    public FaultPlan {
        if (totalRate(errorRate, timeoutRate, slowRate, rateLimitRate, resetRate, rangeLossRate, conflictRate) > 1.0) {
            throw new IllegalArgumentException("fault rates add up to more than 1");
        }
        endpoints = Set.copyOf(endpoints);
    }

    /** The plan of the error, timeout and slow faults only. */
    public FaultPlan(
            long seed,
            double errorRate,
            int errorStatus,
            double timeoutRate,
            Duration timeoutDelay,
            double slowRate,
            Duration slowDelay,
            Set<String> endpoints) {
        this(seed, errorRate, errorStatus, timeoutRate, timeoutDelay, slowRate, slowDelay, 0, 1, 0, 0, 0, endpoints);
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

    /** Only {@code fault}, on {@code rate} of the calls to {@code endpoints} (stalls last {@code stall}). */
    public static FaultPlan only(long seed, Fault fault, double rate, Duration stall, String... endpoints) {
        Map<Fault, Double> rates = new EnumMap<>(Fault.class);
        rates.put(fault, rate);
        return mix(seed, rates, stall, 1, Set.of(endpoints));
    }

    /**
     * Issue #18's GitLab: {@code rate} of the calls to the runner API endpoints answered badly, evenly split between
     * a 502, a 429 with {@code Retry-After: retryAfterSeconds}, a connection closed mid-answer, a stall of
     * {@code stall} (shorter than the client's 30 s timeout: a slow GitLab, not a lost answer), a 416 after GitLab
     * lost the end of the trace (trace PATCH only) and a 409 (job PUT only).
     */
    public static FaultPlan unreliableGitLab(long seed, double rate, Duration stall, int retryAfterSeconds) {
        Map<Fault, Double> rates = new EnumMap<>(Fault.class);
        for (Fault f :
                Set.of(Fault.ERROR, Fault.RATE_LIMITED, Fault.RESET, Fault.SLOW, Fault.RANGE_LOSS, Fault.CONFLICT)) {
            rates.put(f, rate / 6);
        }
        return mix(
                seed,
                rates,
                stall,
                retryAfterSeconds,
                Set.of("request_job", "update_job", "patch_trace", "verify_runner"));
    }

    private static FaultPlan mix(
            long seed, Map<Fault, Double> rates, Duration stall, int retryAfterSeconds, Set<String> endpoints) {
        return new FaultPlan(
                seed,
                rates.getOrDefault(Fault.ERROR, 0.0),
                502,
                rates.getOrDefault(Fault.TIMEOUT, 0.0),
                stall,
                rates.getOrDefault(Fault.SLOW, 0.0),
                stall,
                rates.getOrDefault(Fault.RATE_LIMITED, 0.0),
                retryAfterSeconds,
                rates.getOrDefault(Fault.RESET, 0.0),
                rates.getOrDefault(Fault.RANGE_LOSS, 0.0),
                rates.getOrDefault(Fault.CONFLICT, 0.0),
                endpoints);
    }

    /** The fraction of calls to a planned endpoint that draw a fault. */
    public double totalRate() {
        return totalRate(errorRate, timeoutRate, slowRate, rateLimitRate, resetRate, rangeLossRate, conflictRate);
    }

    private static double totalRate(double... rates) {
        double sum = 0;
        for (double r : rates) {
            sum += r;
        }
        return sum;
    }

    /** The fault a request to {@code endpoint} draws for a uniform {@code r} in [0, 1). */
    Fault draw(String endpoint, double r) {
        if (!endpoints.contains(endpoint)) {
            return Fault.NONE;
        }
        Map<Fault, Double> rates = new EnumMap<>(Fault.class);
        rates.put(Fault.ERROR, errorRate);
        rates.put(Fault.TIMEOUT, timeoutRate);
        rates.put(Fault.SLOW, slowRate);
        rates.put(Fault.RATE_LIMITED, rateLimitRate);
        rates.put(Fault.RESET, resetRate);
        rates.put(Fault.RANGE_LOSS, rangeLossRate);
        rates.put(Fault.CONFLICT, conflictRate);
        double applicable = 0;
        for (Map.Entry<Fault, Double> e : rates.entrySet()) {
            if (e.getKey().appliesTo(endpoint)) {
                applicable += e.getValue();
            }
        }
        if (applicable == 0) {
            return Fault.NONE;
        }
        double scale = totalRate() / applicable;
        double at = 0;
        for (Map.Entry<Fault, Double> e : rates.entrySet()) {
            if (e.getKey().appliesTo(endpoint)) {
                at += e.getValue() * scale;
                if (r < at) {
                    return e.getKey();
                }
            }
        }
        return Fault.NONE;
    }

    /** The faults a request draws. */
    public enum Fault {
        NONE,
        /** {@code errorStatus}, not processed: a proxy's or Workhorse's 5xx. */
        ERROR,
        /** Processed after {@code timeoutDelay}, past the client's timeout. */
        TIMEOUT,
        /** Processed after {@code slowDelay}: a stall. */
        SLOW,
        /**
         * 429 with {@code Retry-After}, not processed, as GitLab's Rack::Attack throttles answer (gitlab-runner's
         * {@code network/retry_requester.go} waits {@code RateLimit-ResetTime}, else {@code Retry-After}).
         */
        RATE_LIMITED,
        /**
         * Processed, then the connection is closed after half of the answer's body (before the status line when the
         * answer has no body): GitLab did the work, the client hears nothing it can read. Not on
         * {@code jobs/request}: a job handed out in an answer that never arrives is lost to any runner (GitLab's
         * stuck-job check fails it later), which no runner can repair.
         */
        RESET,
        /**
         * On a trace PATCH: GitLab has lost the end of the trace it acknowledged (a live trace chunk gone) and
         * answers 416 with {@code Range: 0-<its shorter length>}, as it answers any PATCH not starting at its length;
         * gitlab-runner ({@code network/gitlab.go} {@code createPatchTraceResult}, {@code network/patch_response.go}
         * {@code NewOffset}) continues from that length.
         */
        RANGE_LOSS,
        /**
         * On a final job PUT ({@code success}/{@code failed}): 409 Conflict, not processed; gitlab-runner's
         * {@code createUpdateJobResult} makes it {@code UpdateFailed}, and its {@code finalUpdate} sends again. Never on
         * a {@code state=running} PUT, where a 409 means the job is not this runner manager's (see {@code TestGitLab}).
         */
        CONFLICT;

        /** Whether this fault can happen on a call to {@code endpoint}. */
        public boolean appliesTo(String endpoint) {
            return switch (this) {
                case RESET -> !endpoint.equals("request_job");
                case RANGE_LOSS -> endpoint.equals("patch_trace");
                case CONFLICT -> endpoint.equals("update_job");
                default -> true;
            };
        }
    }
}
