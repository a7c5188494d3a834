package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.runnerfleet.api.v1alpha1.CapacityAware;
import io.runnerfleet.api.v1alpha1.ConditionStatus;
import io.runnerfleet.api.v1alpha1.FleetCondition;
import io.runnerfleet.api.v1alpha1.FleetConditionReason;
import io.runnerfleet.api.v1alpha1.FleetConditionType;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.RunnerFleetStatus;
import io.runnerfleet.api.v1alpha1.SecretKeyRef;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.desired.DesiredRbac;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.diagnostics.FleetDiagnostics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every RunnerFleet's objects as the pure builders describe them. Validates first and touches no dependent
 * while the spec is invalid or the token Secret is missing; then runs the dependents (each only says what it
 * wants); then writes the status, and only when it changed, so an unchanged fleet costs no write and no Event.
 */
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = "config", type = ConfigMapDependent.class),
            @Dependent(name = "service-account", type = ServiceAccountDependent.class),
            @Dependent(name = "job-role", type = JobRoleDependent.class),
            @Dependent(name = "job-role-binding", type = JobRoleBindingDependent.class),
            @Dependent(name = "lease-role", type = LeaseRoleDependent.class),
            @Dependent(name = "lease-role-binding", type = LeaseRoleBindingDependent.class),
            @Dependent(name = "manager", type = ManagerDeploymentDependent.class),
            @Dependent(name = "metrics", type = MetricsServiceDependent.class),
            @Dependent(name = "disruption-budget", type = PodDisruptionBudgetDependent.class),
            @Dependent(name = "job-disruption-budget", type = JobDisruptionBudgetDependent.class),
            @Dependent(
                    name = "warm-capacity",
                    type = WarmCapacityDependent.class,
                    reconcilePrecondition = WarmCapacityDependent.Wanted.class)
        })
@ControllerConfiguration(name = FleetReconciler.NAME)
public final class FleetReconciler implements Reconciler<RunnerFleet>, Cleaner<RunnerFleet> {
    public static final String NAME = "runnerfleet";
    /** A missing executor namespace raises no event we watch; look again at this pace, not in a hot loop. */
    static final Duration MISSING_NAMESPACE_RECHECK = Duration.ofSeconds(30);
    /** A Lease that refused the pause flag (its manager renewed it in between) is marked again this soon. */
    static final Duration PAUSE_RETRY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(FleetReconciler.class);

    private final OperatorDefaults defaults;
    private final FleetEventRecorder events;
    private final FleetValidator validator;
    private final ExecutorRbacJanitor janitor;
    private final Clock clock;
    private final FleetReadyGauge readyGauge;
    private final ManagerPause pause;
    private final OverwriteNamespaceRbac overwriteRbac;
    private final NodeReaderRbac nodeReaderRbac;
    private final JobPodRelease release;
    private final WarmCapacity warmCapacity;
    private InformerEventSource<Secret, RunnerFleet> tokenSecrets;
    private InformerEventSource<Pod, RunnerFleet> jobPods;
    private InformerEventSource<Lease, RunnerFleet> managerLeases;

    public FleetReconciler(
            io.fabric8.kubernetes.client.KubernetesClient client,
            OperatorDefaults defaults,
            Clock clock,
            FleetReadyGauge readyGauge) {
        this.defaults = defaults;
        this.readyGauge = readyGauge;
        this.events = new FleetEventRecorder(client, clock);
        this.validator = new FleetValidator(client, clock);
        this.janitor = new ExecutorRbacJanitor(client);
        this.nodeReaderRbac = new NodeReaderRbac(client);
        this.pause = new ManagerPause(client);
        this.release = new JobPodRelease(client);
        this.overwriteRbac = new OverwriteNamespaceRbac(
                client,
                new KnownNamespaces(name -> client.namespaces().withName(name).get() != null, clock),
                janitor,
                events);
        this.clock = clock;
        this.warmCapacity = new WarmCapacity(client, clock);
    }

    @Override
    public List<EventSource<?, RunnerFleet>> prepareEventSources(EventSourceContext<RunnerFleet> context) {
        // The fleets' namespaces' informers may have their caches trimmed only when they are one (CachedFields).
        boolean trim =
                CachedFields.oneInformerFor(context.getControllerConfiguration().getEffectiveNamespaces());
        // Token Secrets: in the fleets' namespaces; a human creates them, so they are found by name, not label, and
        // the cache holds every Secret there: keys only where it can (CachedFields).
        tokenSecrets = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Secret.class, RunnerFleet.class)
                        .withName("token-secrets")
                        .withItemStore(trim ? new CachedFields<>() : null)
                        .withSecondaryToPrimaryMapper(new TokenSecretMapper(context.getPrimaryCache()))
                        .build(),
                context);
        // Job Pods: in executor namespaces (any namespace), told from manager pods by their job-id label.
        jobPods = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, RunnerFleet.class)
                        .withName("job-pods")
                        .withItemStore(new CachedFields<>())
                        .withWatchAllNamespaces()
                        .withLabelSelector(FleetLabels.JOB_ID)
                        .withSecondaryToPrimaryMapper(new JobPodMapper(context.getPrimaryCache()))
                        .build(),
                context);
        // Managers' Leases, in the fleets' namespaces: their annotations carry what each manager knows of GitLab.
        // Renewals change only renewTime; a reconcile is wanted only when the report changed.
        managerLeases = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Lease.class, RunnerFleet.class)
                        .withName("manager-leases")
                        .withItemStore(trim ? new CachedFields<>() : null)
                        .withLabelSelector(FleetLabels.APP_COMPONENT + "=" + FleetLabels.COMPONENT_MANAGER)
                        .withSecondaryToPrimaryMapper(ManagerLeaseMapper::toFleet)
                        .withOnUpdateFilter(ManagerLeaseMapper::reportChanged)
                        .build(),
                context);
        return List.of(tokenSecrets, jobPods, managerLeases);
    }

    @Override
    public UpdateControl<RunnerFleet> reconcile(RunnerFleet fleet, Context<RunnerFleet> context) {
        String namespace = fleet.getMetadata().getNamespace();
        SecretKeyRef tokenRef = fleet.getSpec().gitlab().tokenSecretRef();
        TokenSecretCheck token = TokenSecretCheck.of(
                tokenSecrets.get(new ResourceID(tokenRef.name(), namespace)).orElse(null), namespace, tokenRef);
        List<FieldProblem> problems = validator.problems(fleet);
        FleetObjects desired = problems.isEmpty() ? build(fleet) : null;
        if (desired == null && problems.isEmpty()) {
            problems = List.of(
                    new FieldProblem("spec", "cannot be turned into the fleet's objects; see the " + "operator log"));
        }
        Deployment before = context.getSecondaryResource(Deployment.class).orElse(null);
        Deployment after = before;
        String configHash = ManagerRollout.of(before).configHash();
        List<String> missingNamespaces = List.of();
        int runningJobs = runningJobs(fleet);
        ReplicaSet warmBefore = context.getSecondaryResource(ReplicaSet.class).orElse(null);
        WarmCapacity.Desired warm = null;
        if (problems.isEmpty() && token.found()) {
            DesiredState.put(context, desired);
            warm = warmCapacity.desired(fleet, runningJobs, warmBefore, clock.instant());
            if (warm != null) {
                warmCapacity.ensurePriorityClass(fleet);
                DesiredState.putWarmPods(context, warm.replicaSet());
            }
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
            if (warm != null) {
                warmCapacity.replaceStale(fleet, warmBefore, warm.replicaSet());
            }
            after = context.getSecondaryResource(Deployment.class).orElse(null);
            configHash = desiredHash(desired);
            announceChanges(fleet, before, desired);
            missingNamespaces = overwriteRbac.reconcile(fleet, desired, context);
            nodeReaderRbac.reconcile(fleet);
        }
        // Past spec.executor.disruption.maxWait a drain may evict a Job Pod (JobPodRelease); when the next is due.
        Optional<Duration> untilRelease = problems.isEmpty()
                ? release.release(
                        fleet.getSpec().executor().disruptionOrDefaults(), runningJobPods(fleet), clock.instant())
                : Optional.empty();

        List<Lease> leases = managerLeases
                .list(namespace, lease -> ManagerLeaseMapper.isOf(fleet, lease))
                .toList();
        boolean pauseMarked = pause.apply(fleet, leases);
        FleetObservation observation = new FleetObservation(
                fleet.getMetadata().getName(),
                namespace,
                generation(fleet),
                fleet.getSpec().managers().replicas(),
                fleet.getSpec().managers().concurrent(),
                problems,
                token,
                ManagerRollout.of(after),
                runningJobs,
                configHash,
                problems.isEmpty() ? FleetDiagnostics.of(fleet) : List.of(),
                ManagerReports.of(leases, clock.instant()),
                FleetStatusAggregator.tokenExpiryWarning(
                        fleet.getSpec().gitlab().tokenExpiryWarning()),
                ManagerPause.paused(fleet),
                fleet.getSpec().executor().capacityAwareOrDefault() == CapacityAware.NONE,
                warm == null ? null : WarmCapacity.status(warm.plan(), warmBefore));
        Instant now = clock.instant();
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(fleet.getStatus(), observation, now);
        announceProblems(fleet, fleet.getStatus(), status);
        readyGauge.set(namespace, fleet.getMetadata().getName(), status);
        readyGauge.setTokenExpiry(
                namespace,
                fleet.getMetadata().getName(),
                observation.gitlab().tokenExpiresAt().orElse(null));
        if (!status.equals(fleet.getStatus())) {
            // PUT with resourceVersion (no merge patch: docs/versions.md, pitfall 6); on a conflict JOSDK re-reads
            // and the status is computed again from what it finds, so lastTransitionTime stays honest.
            PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(fleet, context, latest -> {
                latest.setStatus(FleetStatusAggregator.aggregate(latest.getStatus(), observation, now));
                return latest;
            });
            LOG.debug("status written: {}", status.managers());
        }
        if (!pauseMarked) {
            // A manager renewed its Lease in between (409): its renewal may change no annotation, so look again.
            return UpdateControl.<RunnerFleet>noUpdate().rescheduleAfter(PAUSE_RETRY);
        }
        if (FleetValidator.executorNamespaceMissing(problems) || !missingNamespaces.isEmpty()) {
            return UpdateControl.<RunnerFleet>noUpdate().rescheduleAfter(MISSING_NAMESPACE_RECHECK);
        }
        Duration untilWarning = observation
                .gitlab()
                .tokenExpiresAt()
                .map(expires -> Duration.between(
                        now, FleetStatusAggregator.tokenWarningStarts(expires, observation.tokenExpiryWarning())))
                .filter(d -> !d.isNegative())
                .orElse(null);
        // TokenExpiring turns True, a Job Pod's protection ends, and a warm-capacity policy starts, ends or lets pause
        // pods go, by the clock alone: no event would trigger the reconciliation.
        Duration untilWarm = warm == null || warm.plan().recheckAt() == null
                ? null
                : Duration.between(now, warm.plan().recheckAt()).plusSeconds(1);
        Duration untilClock = untilWarning == null
                ? untilWarm
                : untilWarm == null ? untilWarning.plusSeconds(1) : min(untilWarm, untilWarning.plusSeconds(1));
        if (untilRelease.isPresent()) {
            Duration releaseAt = untilRelease.get().plusSeconds(1);
            untilClock = untilClock == null ? releaseAt : min(untilClock, releaseAt);
        }
        if (untilClock != null) {
            return UpdateControl.<RunnerFleet>noUpdate().rescheduleAfter(untilClock);
        }
        return UpdateControl.noUpdate();
    }

    @Override
    public DeleteControl cleanup(RunnerFleet fleet, Context<RunnerFleet> context) {
        // Objects in the fleet's namespace carry an ownerReference: the garbage collector takes them.
        int deleted = janitor.deleteOutside(fleet, Set.of());
        overwriteRbac.forget(fleet);
        // Cluster-scoped, so no ownerReference: the finalizer is what removes the capacityAware: nodes pair.
        nodeReaderRbac.delete(fleet);
        nodeReaderRbac.forget(fleet);
        readyGauge.remove(
                fleet.getMetadata().getNamespace(), fleet.getMetadata().getName());
        LOG.info("fleet deleted; removed {} cross-namespace RBAC objects", deleted);
        return DeleteControl.defaultDelete();
    }

    private FleetObjects build(RunnerFleet fleet) {
        try {
            return FleetObjects.of(fleet, defaults);
        } catch (RuntimeException e) {
            LOG.warn("cannot build the fleet's objects: {}", e.toString());
            return null;
        }
    }

    /** Normal Events for what this reconciliation changed, judged from the Deployment as it was before. */
    private void announceChanges(RunnerFleet fleet, Deployment before, FleetObjects desired) {
        int replicas = fleet.getSpec().managers().replicas();
        int concurrent = fleet.getSpec().managers().concurrent();
        String hash = desiredHash(desired);
        if (before == null) {
            events.record(
                    fleet,
                    FleetEventReason.CREATED,
                    "Created the fleet: " + replicas + " managers x " + concurrent + " jobs = capacity "
                            + replicas * concurrent + ", config " + hash + ".");
            return;
        }
        Integer previousReplicas = before.getSpec().getReplicas();
        if (!Objects.equals(previousReplicas, replicas)) {
            events.record(
                    fleet,
                    FleetEventReason.SCALED,
                    "Scaled managers from " + previousReplicas + " to " + replicas + "; capacity is now "
                            + replicas * concurrent + " jobs.");
        }
        String previousHash = ManagerRollout.of(before).configHash();
        if (!Objects.equals(previousHash, hash)) {
            events.record(
                    fleet,
                    FleetEventReason.CONFIG_CHANGED,
                    "config.toml changed (" + previousHash + " -> " + hash + "); the managers roll one at a time.");
            // The executor namespace is part of config.toml: RBAC left in a former one must go (not in the
            // namespaces jobs may move to, which keep theirs).
            janitor.deleteOutside(fleet, DesiredRbac.jobNamespaces(fleet));
        }
    }

    /** Warning Events when a problem appears or changes; not again on every resync while it lasts. */
    private void announceProblems(RunnerFleet fleet, RunnerFleetStatus previous, RunnerFleetStatus current) {
        FleetCondition degraded = find(current, FleetConditionType.DEGRADED);
        FleetCondition wasDegraded = find(previous, FleetConditionType.DEGRADED);
        if (degraded != null
                && FleetConditionReason.INVALID_SPEC.value().equals(degraded.reason())
                && !sameProblem(degraded, wasDegraded)) {
            events.record(fleet, FleetEventReason.INVALID_SPEC, degraded.message());
        }
        announceTransition(
                fleet,
                previous,
                current,
                FleetConditionType.GITLAB_REACHABLE,
                ConditionStatus.FALSE,
                FleetEventReason.GITLAB_UNREACHABLE);
        FleetCondition accepting = find(current, FleetConditionType.ACCEPTING_JOBS);
        announceTransition(
                fleet,
                previous,
                current,
                FleetConditionType.ACCEPTING_JOBS,
                ConditionStatus.FALSE,
                acceptingJobsEvent(accepting));
        FleetCondition expiring = find(current, FleetConditionType.TOKEN_EXPIRING);
        if (rotationFailed(expiring)) {
            // Once per failure, not per retry: it may start while TokenExpiring is True already (ExpiresSoon).
            if (!rotationFailed(find(previous, FleetConditionType.TOKEN_EXPIRING))) {
                events.record(fleet, FleetEventReason.TOKEN_ROTATION_FAILED, expiring.message());
            }
        } else {
            announceTransition(
                    fleet,
                    previous,
                    current,
                    FleetConditionType.TOKEN_EXPIRING,
                    ConditionStatus.TRUE,
                    FleetEventReason.TOKEN_EXPIRING);
        }
        FleetCondition reached = find(current, FleetConditionType.GITLAB_REACHABLE);
        FleetCondition wasReached = find(previous, FleetConditionType.GITLAB_REACHABLE);
        if (reached != null
                && reached.hasStatus(ConditionStatus.TRUE)
                && wasReached != null
                && wasReached.hasStatus(ConditionStatus.FALSE)) {
            events.record(fleet, FleetEventReason.GITLAB_REACHABLE, reached.message());
        }
        FleetCondition token = find(current, FleetConditionType.TOKEN_SECRET_FOUND);
        FleetCondition wasToken = find(previous, FleetConditionType.TOKEN_SECRET_FOUND);
        if (token != null && token.hasStatus(ConditionStatus.FALSE) && !sameProblem(token, wasToken)) {
            events.record(fleet, FleetEventReason.TOKEN_SECRET_MISSING, token.message());
        }
    }

    /** One Event when {@code type} turns to {@code status}; none while it stays. */
    private void announceTransition(
            RunnerFleet fleet,
            RunnerFleetStatus previous,
            RunnerFleetStatus current,
            FleetConditionType type,
            ConditionStatus status,
            FleetEventReason reason) {
        FleetCondition now = find(current, type);
        FleetCondition before = find(previous, type);
        if (now != null && now.hasStatus(status) && (before == null || !before.hasStatus(status))) {
            events.record(fleet, reason, now.message());
        }
    }

    private static boolean rotationFailed(FleetCondition tokenExpiring) {
        return tokenExpiring != null
                && FleetConditionReason.ROTATION_FAILED.value().equals(tokenExpiring.reason());
    }

    private static FleetEventReason acceptingJobsEvent(FleetCondition accepting) {
        String reason = accepting == null ? "" : accepting.reason();
        if (FleetConditionReason.PAUSED.value().equals(reason)) {
            return FleetEventReason.PAUSED;
        }
        return FleetConditionReason.BACKING_OFF.value().equals(reason)
                ? FleetEventReason.BACKING_OFF
                : FleetEventReason.TOKEN_REJECTED;
    }

    /**
     * A reconciliation that threw (JOSDK retries it): the fleet says why in Degraded ({@link ApplyFailure}), with a
     * Warning Event when the problem is new. Written as the successful path writes status (a PUT with the
     * resourceVersion); a status write that fails too is left to the next attempt.
     */
    @Override
    public ErrorStatusUpdateControl<RunnerFleet> updateErrorStatus(
            RunnerFleet fleet, Context<RunnerFleet> context, Exception failure) {
        String message = ApplyFailure.describe(failure);
        Instant now = clock.instant();
        RunnerFleetStatus status = ApplyFailure.degraded(fleet.getStatus(), message, generation(fleet), now);
        if (status.equals(fleet.getStatus())) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        FleetCondition degraded = find(status, FleetConditionType.DEGRADED);
        if (!sameProblem(degraded, find(fleet.getStatus(), FleetConditionType.DEGRADED))) {
            events.record(fleet, FleetEventReason.APPLY_FAILED, message);
        }
        try {
            PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(fleet, context, latest -> {
                latest.setStatus(ApplyFailure.degraded(latest.getStatus(), message, generation(latest), now));
                return latest;
            });
        } catch (RuntimeException e) {
            LOG.warn(
                    "fleet {}/{}: the failure could not be written to its status either: {}",
                    fleet.getMetadata().getNamespace(),
                    fleet.getMetadata().getName(),
                    e.toString());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private static boolean sameProblem(FleetCondition current, FleetCondition previous) {
        return previous != null
                && Objects.equals(previous.status(), current.status())
                && Objects.equals(previous.reason(), current.reason())
                && Objects.equals(previous.message(), current.message());
    }

    private static FleetCondition find(RunnerFleetStatus status, FleetConditionType type) {
        return status == null ? null : status.condition(type).orElse(null);
    }

    private int runningJobs(RunnerFleet fleet) {
        return runningJobPods(fleet).size();
    }

    private List<Pod> runningJobPods(RunnerFleet fleet) {
        return DesiredRbac.jobNamespaces(fleet).stream()
                .flatMap(namespace -> jobPods.list(namespace, pod -> JobPodMapper.isRunningJobOf(fleet, pod)))
                .toList();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String desiredHash(FleetObjects desired) {
        return desired.deployment()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(FleetLabels.CONFIG_HASH);
    }

    private static long generation(RunnerFleet fleet) {
        Long generation = fleet.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
