package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.runnerfleet.api.v1alpha1.ManagerReport;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the fleet's live managers report of GitLab on their Leases ({@link ManagerReport}). A Lease not renewed within
 * its duration belongs to a dead manager and says nothing any more; a manager that has not reported yet (an older
 * version) is left out.
 */
public record ManagerReports(List<Report> reports) {
    public ManagerReports {
        reports = List.copyOf(reports);
    }

    public static ManagerReports none() {
        return new ManagerReports(List.of());
    }

    /**
     * One manager's report.
     *
     * @param backoffUntil until when it asks for no job after {@code backoffFailures} failed job requests in a row;
     *     null while it asks
     * @param rotationFailure what failed in its last token rotation (it is the elected rotator); null when none did
     * @param rotationFailedSince when that rotation first failed
     * @param capacityLimited why its last capacity check found no room for a Job Pod (the quota and resource); null
     *     when it found room or does not check
     */
    public record Report(
            String manager,
            boolean reachable,
            Instant since,
            String lastError,
            boolean tokenRejected,
            Instant tokenExpiresAt,
            Instant backoffUntil,
            int backoffFailures,
            String rotationFailure,
            Instant rotationFailedSince,
            String capacityLimited) {

        public Report(
                String manager,
                boolean reachable,
                Instant since,
                String lastError,
                boolean tokenRejected,
                Instant tokenExpiresAt,
                Instant backoffUntil,
                int backoffFailures,
                String rotationFailure,
                Instant rotationFailedSince) {
            this(
                    manager,
                    reachable,
                    since,
                    lastError,
                    tokenRejected,
                    tokenExpiresAt,
                    backoffUntil,
                    backoffFailures,
                    rotationFailure,
                    rotationFailedSince,
                    null);
        }

        public Report(
                String manager,
                boolean reachable,
                Instant since,
                String lastError,
                boolean tokenRejected,
                Instant tokenExpiresAt,
                Instant backoffUntil,
                int backoffFailures) {
            this(
                    manager,
                    reachable,
                    since,
                    lastError,
                    tokenRejected,
                    tokenExpiresAt,
                    backoffUntil,
                    backoffFailures,
                    null,
                    null);
        }

        public Report(
                String manager,
                boolean reachable,
                Instant since,
                String lastError,
                boolean tokenRejected,
                Instant tokenExpiresAt) {
            this(manager, reachable, since, lastError, tokenRejected, tokenExpiresAt, null, 0, null, null);
        }

        public boolean backingOff(Instant now) {
            return backoffUntil != null && now.isBefore(backoffUntil);
        }
    }

    public static ManagerReports of(List<Lease> leases, Instant now) {
        return new ManagerReports(leases.stream()
                .filter(lease -> live(lease, now))
                .map(ManagerReports::read)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(Report::manager))
                .toList());
    }

    public boolean empty() {
        return reports.isEmpty();
    }

    public boolean anyReachable() {
        return reports.stream().anyMatch(Report::reachable);
    }

    public boolean allRejectToken() {
        return !reports.isEmpty() && reports.stream().allMatch(Report::tokenRejected);
    }

    /** The managers that ask for no job now, having failed {@code unhealthy_requests_limit} requests in a row. */
    public List<Report> backingOff(Instant now) {
        return reports.stream().filter(r -> r.backingOff(now)).toList();
    }

    /** The error of the manager that has been unreachable the longest: the one to show a human. */
    public Optional<Report> longestUnreachable() {
        return reports.stream()
                .filter(r -> !r.reachable())
                .min(Comparator.comparing(Report::since, Comparator.nullsLast(Comparator.naturalOrder())));
    }

    /** The earliest expiry any manager was told (after a rotation, the old token's date disappears with it). */
    public Optional<Instant> tokenExpiresAt() {
        return reports.stream()
                .map(Report::tokenExpiresAt)
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder());
    }

    /** The managers whose last capacity check found no room for a Job Pod. */
    public List<Report> capacityLimited() {
        return reports.stream().filter(r -> r.capacityLimited() != null).toList();
    }

    /** The manager whose token rotation fails (the elected one; after a take-over, the one failing longest). */
    public Optional<Report> rotationFailure() {
        return reports.stream()
                .filter(r -> r.rotationFailure() != null)
                .min(Comparator.comparing(
                        Report::rotationFailedSince, Comparator.nullsLast(Comparator.naturalOrder())));
    }

    private static boolean live(Lease lease, Instant now) {
        var spec = lease.getSpec();
        if (spec == null || spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
            return false;
        }
        return !now.isAfter(spec.getRenewTime().toInstant().plusSeconds(spec.getLeaseDurationSeconds()));
    }

    private static Optional<Report> read(Lease lease) {
        Map<String, String> a = lease.getMetadata().getAnnotations();
        if (a == null || !a.containsKey(ManagerReport.REACHABLE)) {
            return Optional.empty();
        }
        String holder = lease.getSpec().getHolderIdentity();
        return Optional.of(new Report(
                holder == null ? lease.getMetadata().getName() : holder,
                Boolean.parseBoolean(a.get(ManagerReport.REACHABLE)),
                time(a.get(ManagerReport.SINCE)),
                a.get(ManagerReport.LAST_ERROR),
                Boolean.parseBoolean(a.get(ManagerReport.TOKEN_REJECTED)),
                time(a.get(ManagerReport.TOKEN_EXPIRES_AT)),
                time(a.get(ManagerReport.BACKOFF_UNTIL)),
                count(a.get(ManagerReport.BACKOFF_FAILURES)),
                a.get(ManagerReport.TOKEN_ROTATION_FAILED),
                time(a.get(ManagerReport.TOKEN_ROTATION_FAILED_SINCE)),
                a.get(ManagerReport.CAPACITY_LIMITED)));
    }

    private static int count(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** RFC 3339 as GitLab ({@code 2026-12-10T08:00:00.000Z}, offsets) and the managers write it; unreadable: none. */
    static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
