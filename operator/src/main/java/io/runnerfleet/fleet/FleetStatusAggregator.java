package io.runnerfleet.fleet;

import static io.runnerfleet.api.v1alpha1.FleetConditionReason.AS_EXPECTED;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.BACKING_OFF;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.BLOCKED;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.CAPACITY_AVAILABLE;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.CAPACITY_CHECK_OFF;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.CREATING;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.EXPIRES_SOON;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.INVALID_SPEC;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.KEY_NOT_FOUND;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.MANAGERS_NOT_CREATED;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.MANAGERS_NOT_READY;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.MANAGERS_READY;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.MISCONFIGURATION_FOUND;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.NODES_FULL;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.NONE_FOUND;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.NOT_EXPIRING_SOON;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.NO_EXPIRY;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.NO_MANAGER_REPORT;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.PAUSED;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.QUOTA_FULL;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.REACHED;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.ROLLED_OUT;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.ROLLING_OUT;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.ROTATION_FAILED;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.SCALED_TO_ZERO;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.SECRET_FOUND;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.SECRET_NOT_FOUND;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.TOKEN_ACCEPTED;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.TOKEN_REJECTED;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.TOKEN_SECRET_MISSING;
import static io.runnerfleet.api.v1alpha1.FleetConditionReason.UNREACHABLE;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.ACCEPTING_JOBS;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.CAPACITY_LIMITED;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.DEGRADED;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.DIAGNOSTICS;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.GITLAB_REACHABLE;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.PROGRESSING;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.READY;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.TOKEN_EXPIRING;
import static io.runnerfleet.api.v1alpha1.FleetConditionType.TOKEN_SECRET_FOUND;

import io.runnerfleet.api.v1alpha1.ConditionStatus;
import io.runnerfleet.api.v1alpha1.FleetCondition;
import io.runnerfleet.api.v1alpha1.FleetConditionReason;
import io.runnerfleet.api.v1alpha1.FleetConditionType;
import io.runnerfleet.api.v1alpha1.ManagerReport;
import io.runnerfleet.api.v1alpha1.RunnerFleetStatus;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.base.GoDurations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Computes a fleet's status from one {@link FleetObservation}. Pure: the same observation and previous status give
 * the same status, so an unchanged fleet is never written. A condition keeps its {@code lastTransitionTime} while
 * its status stays the same, even when its reason or message change (Kubernetes API conventions).
 */
public final class FleetStatusAggregator {
    /** TokenExpiring turns True this long before the token expires unless {@code spec.gitlab.tokenExpiryWarning}. */
    public static final Duration DEFAULT_TOKEN_EXPIRY_WARNING = Duration.ofDays(7);

    private FleetStatusAggregator() {}

    public static RunnerFleetStatus aggregate(RunnerFleetStatus previous, FleetObservation observation, Instant now) {
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<FleetCondition> before = previous == null ? List.of() : previous.conditions();
        List<Candidate> candidates = List.of(
                ready(observation),
                progressing(observation),
                degraded(observation),
                tokenSecret(observation),
                diagnostics(observation),
                gitlabReachable(observation),
                acceptingJobs(observation, now),
                tokenExpiring(observation, now),
                capacityLimited(observation));
        List<FleetCondition> conditions = candidates.stream()
                .map(c -> c.toCondition(find(before, c.type()), timestamp, observation.generation()))
                .toList();
        int replicas = observation.replicas();
        int ready = observation.managers().ready();
        return new RunnerFleetStatus(
                observation.generation(),
                replicas,
                ready,
                ready + "/" + replicas,
                replicas * observation.concurrent(),
                observation.runningJobs(),
                observation.configHash(),
                conditions,
                observation.warmCapacity());
    }

    /** A condition's status with a lastTransitionTime from its previous version when the status did not change. */
    private record Candidate(
            FleetConditionType type, ConditionStatus status, FleetConditionReason reason, String message) {
        Candidate(FleetConditionType type, boolean status, FleetConditionReason reason, String message) {
            this(type, ConditionStatus.of(status), reason, message);
        }

        FleetCondition toCondition(FleetCondition previous, String now, long generation) {
            String since = previous != null && previous.hasStatus(status) && previous.lastTransitionTime() != null
                    ? previous.lastTransitionTime()
                    : now;
            return FleetCondition.of(type, status, reason, message, since, generation);
        }
    }

    private static Candidate ready(FleetObservation o) {
        ManagerRollout m = o.managers();
        String count = m.ready() + "/" + o.replicas() + " managers ready";
        if (!o.specProblems().isEmpty()) {
            return new Candidate(
                    READY,
                    false,
                    INVALID_SPEC,
                    "The spec cannot be applied (see Degraded); "
                            + (m.exists() ? count + ", running the last valid spec." : "no managers were created."));
        }
        if (!o.token().found()) {
            return new Candidate(
                    READY,
                    false,
                    TOKEN_SECRET_MISSING,
                    "Managers cannot authenticate without "
                            + "the runner token (see TokenSecretFound); "
                            + (m.exists() ? count + "." : "no managers were created."));
        }
        if (o.replicas() == 0) {
            return new Candidate(
                    READY,
                    true,
                    SCALED_TO_ZERO,
                    "spec.managers.replicas is 0: the fleet takes no jobs. Raise it to run jobs.");
        }
        if (m.ready() >= o.replicas()) {
            return new Candidate(
                    READY,
                    true,
                    MANAGERS_READY,
                    count + "; capacity " + o.replicas() * o.concurrent() + " concurrent jobs.");
        }
        return new Candidate(
                READY,
                false,
                m.exists() ? MANAGERS_NOT_READY : MANAGERS_NOT_CREATED,
                count + ". If this lasts, look at the manager pods: kubectl get pods -n " + o.namespace()
                        + " -l app.kubernetes.io/component=manager,runnerfleet.io/fleet=" + o.name() + ".");
    }

    private static Candidate progressing(FleetObservation o) {
        ManagerRollout m = o.managers();
        if (o.blocked()) {
            return new Candidate(
                    PROGRESSING,
                    false,
                    BLOCKED,
                    "Changes are on hold until the problem in Degraded is fixed; no object of the fleet is changed.");
        }
        if (!m.exists()) {
            return new Candidate(PROGRESSING, true, CREATING, "Creating the manager Deployment.");
        }
        boolean rolledOut = m.observedLatest()
                && m.updated() >= o.replicas()
                && m.ready() >= o.replicas()
                && Objects.equals(m.configHash(), o.configHash());
        if (!rolledOut) {
            return new Candidate(
                    PROGRESSING,
                    true,
                    ROLLING_OUT,
                    m.updated() + " of " + o.replicas() + " managers updated, " + m.ready() + " ready, config "
                            + o.configHash() + ".");
        }
        return new Candidate(
                PROGRESSING, false, ROLLED_OUT, "All " + o.replicas() + " managers run config " + o.configHash() + ".");
    }

    private static Candidate degraded(FleetObservation o) {
        if (!o.specProblems().isEmpty()) {
            return new Candidate(
                    DEGRADED,
                    true,
                    INVALID_SPEC,
                    describe(o.specProblems())
                            + ". Fix the fleet's spec; until then no object of the fleet is changed.");
        }
        if (!o.token().found()) {
            return new Candidate(
                    DEGRADED,
                    true,
                    TOKEN_SECRET_MISSING,
                    tokenMessage(o.token()) + " Until then no object of the fleet is changed.");
        }
        return new Candidate(DEGRADED, false, AS_EXPECTED, "The fleet's objects match its spec.");
    }

    private static Candidate tokenSecret(FleetObservation o) {
        TokenSecretCheck t = o.token();
        return switch (t.state()) {
            case FOUND ->
                new Candidate(
                        TOKEN_SECRET_FOUND, true, SECRET_FOUND, "Secret " + t.name() + " has key " + t.key() + ".");
            case SECRET_MISSING -> new Candidate(TOKEN_SECRET_FOUND, false, SECRET_NOT_FOUND, tokenMessage(t));
            case KEY_MISSING -> new Candidate(TOKEN_SECRET_FOUND, false, KEY_NOT_FOUND, tokenMessage(t));
        };
    }

    private static Candidate diagnostics(FleetObservation o) {
        if (!o.specProblems().isEmpty()) {
            return new Candidate(
                    DIAGNOSTICS,
                    ConditionStatus.UNKNOWN,
                    INVALID_SPEC,
                    "Not checked while the spec cannot be applied (see Degraded).");
        }
        if (o.diagnostics().isEmpty()) {
            return new Candidate(
                    DIAGNOSTICS,
                    false,
                    NONE_FOUND,
                    "No known misconfiguration (runner-fleet explain -f FLEET.yaml says the same).");
        }
        return new Candidate(DIAGNOSTICS, true, MISCONFIGURATION_FOUND, String.join(" ", o.diagnostics()));
    }

    private static Candidate gitlabReachable(FleetObservation o) {
        ManagerReports reports = o.gitlab();
        if (reports.empty()) {
            return new Candidate(
                    GITLAB_REACHABLE, ConditionStatus.UNKNOWN, NO_MANAGER_REPORT, "No live manager has reported yet.");
        }
        long reachable = reports.reports().stream()
                .filter(ManagerReports.Report::reachable)
                .count();
        if (reachable > 0) {
            return new Candidate(
                    GITLAB_REACHABLE,
                    true,
                    REACHED,
                    reachable + " of " + reports.reports().size()
                            + " reporting managers reached GitLab's job API within three check intervals.");
        }
        ManagerReports.Report longest = reports.longestUnreachable().orElseThrow();
        return new Candidate(
                GITLAB_REACHABLE,
                false,
                UNREACHABLE,
                "No manager reached GitLab's job API for three check intervals"
                        + (longest.since() == null ? "" : " (since " + longest.since() + ")") + "; last error: "
                        + (longest.lastError() == null ? "none recorded" : longest.lastError())
                        + ". Check spec.gitlab.url, the network path from the managers to GitLab, and GitLab's status.");
    }

    private static Candidate acceptingJobs(FleetObservation o, Instant now) {
        if (o.paused()) {
            return new Candidate(
                    ACCEPTING_JOBS,
                    false,
                    PAUSED,
                    "spec.paused is true: no manager asks for jobs; running jobs finish and no pod restarts. Set "
                            + "spec.paused to false to resume within one check interval.");
        }
        ManagerReports reports = o.gitlab();
        if (reports.empty()) {
            return new Candidate(
                    ACCEPTING_JOBS, ConditionStatus.UNKNOWN, NO_MANAGER_REPORT, "No live manager has reported yet.");
        }
        if (reports.allRejectToken()) {
            String error = reports.reports().get(0).lastError();
            return new Candidate(
                    ACCEPTING_JOBS,
                    false,
                    TOKEN_REJECTED,
                    "GitLab refuses the runner token" + (error == null ? "" : " (" + error + ")")
                            + "; no job is requested. Put a valid runner authentication token (glrt-...) into "
                            + "Secret " + o.token().name() + ", key "
                            + o.token().key() + ".");
        }
        List<ManagerReports.Report> backingOff = reports.backingOff(now);
        if (backingOff.size() == reports.reports().size()) {
            return new Candidate(
                    ACCEPTING_JOBS,
                    false,
                    BACKING_OFF,
                    "No manager asks for jobs: " + backOff(backingOff)
                            + " They are not restarted; they ask again then, or when their pods are replaced. "
                            + "Lower spec.runner.unhealthyInterval to retry sooner.");
        }
        if (!backingOff.isEmpty()) {
            return new Candidate(
                    ACCEPTING_JOBS,
                    true,
                    TOKEN_ACCEPTED,
                    "GitLab accepts the runner token; " + backingOff.size() + " of "
                            + reports.reports().size() + " managers ask for no job: " + backOff(backingOff));
        }
        return new Candidate(ACCEPTING_JOBS, true, TOKEN_ACCEPTED, "GitLab accepts the runner token.");
    }

    /** gitlab-runner's back-off in words: the failures, until when (the latest), and the last error seen. */
    private static String backOff(List<ManagerReports.Report> backingOff) {
        ManagerReports.Report longest = backingOff.stream()
                .max(java.util.Comparator.comparing(ManagerReports.Report::backoffUntil))
                .orElseThrow();
        return longest.manager() + " failed " + longest.backoffFailures()
                + " job requests in a row (spec.runner.unhealthyRequestsLimit) and backs off until "
                + longest.backoffUntil() + " (spec.runner.unhealthyInterval); last error: "
                + (longest.lastError() == null ? "none recorded" : longest.lastError()) + ".";
    }

    private static Candidate tokenExpiring(FleetObservation o, Instant now) {
        ManagerReports reports = o.gitlab();
        if (reports.empty()) {
            return new Candidate(
                    TOKEN_EXPIRING, ConditionStatus.UNKNOWN, NO_MANAGER_REPORT, "No live manager has reported yet.");
        }
        Instant expires = reports.tokenExpiresAt().orElse(null);
        Optional<ManagerReports.Report> rotation = reports.rotationFailure();
        if (rotation.isPresent()) {
            return new Candidate(TOKEN_EXPIRING, true, ROTATION_FAILED, rotationFailed(rotation.get(), expires, o));
        }
        if (expires == null) {
            return new Candidate(TOKEN_EXPIRING, false, NO_EXPIRY, "GitLab gives the runner token no expiry date.");
        }
        if (!now.isBefore(tokenWarningStarts(expires, o.tokenExpiryWarning()))) {
            return new Candidate(
                    TOKEN_EXPIRING,
                    true,
                    EXPIRES_SOON,
                    "The runner token " + (now.isBefore(expires) ? "expires at " : "expired at ") + expires
                            + ". Create a new one in GitLab and put it into Secret "
                            + o.token().name() + ", key "
                            + o.token().key() + "; running managers read it from their mounted Secret within"
                            + " about a minute, without a restart.");
        }
        return new Candidate(TOKEN_EXPIRING, false, NOT_EXPIRING_SOON, "The runner token expires at " + expires + ".");
    }

    /**
     * From the managers' reports: True while any reporting manager's last capacity check found no room (the
     * message names its quota and resource), so jobs wait in GitLab or go to other runners.
     */
    private static Candidate capacityLimited(FleetObservation o) {
        if (o.capacityCheckOff()) {
            return new Candidate(
                    CAPACITY_LIMITED,
                    false,
                    CAPACITY_CHECK_OFF,
                    "spec.executor.capacityAware is none: managers ask for jobs whenever a slot is free; a Job Pod "
                            + "over a ResourceQuota is refused by the API server and its job fails.");
        }
        ManagerReports reports = o.gitlab();
        if (reports.empty()) {
            return new Candidate(
                    CAPACITY_LIMITED, ConditionStatus.UNKNOWN, NO_MANAGER_REPORT, "No live manager has reported yet.");
        }
        List<ManagerReports.Report> limited = reports.capacityLimited();
        if (limited.isEmpty()) {
            return new Candidate(
                    CAPACITY_LIMITED,
                    false,
                    CAPACITY_AVAILABLE,
                    "The reporting managers found room for a Job Pod under the executor namespace's ResourceQuotas.");
        }
        ManagerReports.Report first = limited.get(0);
        // capacityAware: nodes reports a node shortfall with a prefix of its own (manager.NodeHeadroom).
        boolean nodes = first.capacityLimited().startsWith(ManagerReport.NODES_LIMITED_PREFIX);
        return new Candidate(
                CAPACITY_LIMITED,
                true,
                nodes ? NODES_FULL : QUOTA_FULL,
                limited.size() + " of " + reports.reports().size() + " reporting managers ask for no job: "
                        + first.capacityLimited() + " (" + first.manager() + "). Jobs wait in GitLab or go to "
                        + "other runners until running Job Pods finish; "
                        + (nodes
                                ? "add nodes (or uncordon them) or lower spec.executor's requests"
                                : "raise the quota or lower spec.executor's requests")
                        + " to run more at once.");
    }

    private static String rotationFailed(ManagerReports.Report failing, Instant expires, FleetObservation o) {
        return "Rotating the runner token (spec.gitlab.tokenRotation) fails on " + failing.manager()
                + (failing.rotationFailedSince() == null ? "" : " since " + failing.rotationFailedSince())
                + ": " + failing.rotationFailure() + ". It is retried with back-off"
                + (expires == null ? "" : "; the token in use expires at " + expires)
                + ". If it keeps failing, create a new token in GitLab and put it into Secret "
                + o.token().name()
                + ", key " + o.token().key() + ".";
    }

    /** When TokenExpiring turns True for this token expiry: the reconciler looks again then, no event announces it. */
    public static Instant tokenWarningStarts(Instant expires, Duration warning) {
        return expires.minus(warning);
    }

    /** {@code spec.gitlab.tokenExpiryWarning} (a Go duration; the schema's pattern admits only ones that parse). */
    public static Duration tokenExpiryWarning(String specValue) {
        return specValue == null ? DEFAULT_TOKEN_EXPIRY_WARNING : GoDurations.parse(specValue);
    }

    static String tokenMessage(TokenSecretCheck t) {
        return switch (t.state()) {
            case FOUND -> "Secret " + t.name() + " has key " + t.key() + ".";
            case SECRET_MISSING ->
                "Secret " + t.name() + " (spec.gitlab.tokenSecretRef.name) does not exist in "
                        + "namespace " + t.namespace() + ". Create it: kubectl create secret generic " + t.name()
                        + " -n " + t.namespace() + " --from-literal=" + t.key() + "=<runner authentication token>.";
            case KEY_MISSING ->
                "Secret " + t.name() + " in namespace " + t.namespace() + " has no key " + t.key()
                        + " (its keys: " + (t.keys().isEmpty() ? "none" : String.join(", ", t.keys()))
                        + "). Add the key, or set spec.gitlab.tokenSecretRef.key to the key that holds the token.";
        };
    }

    private static String describe(List<FieldProblem> problems) {
        return problems.stream().map(FieldProblem::toString).collect(Collectors.joining("; "));
    }

    private static FleetCondition find(List<FleetCondition> conditions, FleetConditionType type) {
        return conditions.stream().filter(c -> c.hasType(type)).findFirst().orElse(null);
    }
}
