package io.runnerfleet.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Whether an executor namespace exists, looked up once and then believed for a while. A resync of 1,000 unchanged
 * fleets would otherwise read the same namespaces 1,000 times (the operator may only {@code get} namespaces, so it
 * has no informer for them). Only "exists" is remembered: a missing namespace is looked up again at every
 * reconciliation, so a fleet recovers as soon as the namespace is created. A namespace deleted meanwhile is noticed
 * when the remembered answer expires; until then the managers' pod creations fail and say so in the jobs.
 */
final class KnownNamespaces {
    static final Duration REMEMBER = Duration.ofMinutes(5);

    private final Predicate<String> exists;
    private final Clock clock;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    KnownNamespaces(Predicate<String> exists, Clock clock) {
        this.exists = exists;
        this.clock = clock;
    }

    boolean exists(String namespace) {
        Instant now = clock.instant();
        Instant seenAt = seen.get(namespace);
        if (seenAt != null && now.isBefore(seenAt.plus(REMEMBER))) {
            return true;
        }
        if (exists.test(namespace)) {
            seen.put(namespace, now);
            return true;
        }
        seen.remove(namespace);
        return false;
    }
}
