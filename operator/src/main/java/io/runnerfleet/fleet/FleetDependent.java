package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;
import java.util.Set;

/**
 * One object of a fleet, created and updated as {@link FleetObjects} describes it. Subclasses only pick their
 * object out of {@link FleetObjects}, and say how it goes when the fleet does:
 * <ul>
 *   <li>{@link GarbageCollected}: an object in the fleet's own namespace. The builders give it an ownerReference,
 *       so Kubernetes' garbage collector deletes it with the fleet.</li>
 *   <li>{@link Deleter}: an object in the executor namespace, which may not be the fleet's. Kubernetes forbids
 *       ownerReferences across namespaces, so it carries the fleet's labels and JOSDK's primary-name/namespace
 *       annotations (how its events find the fleet), and {@link ExecutorRbacJanitor} deletes it when the fleet goes
 *       or moves its Job Pods elsewhere.</li>
 * </ul>
 * JOSDK reads which one from the subclass's type, as its CRUD and CRUDNoGC base classes do.
 */
abstract class FleetDependent<R extends HasMetadata> extends KubernetesDependentResource<R, RunnerFleet>
        implements Creator<R, RunnerFleet>, Updater<R, RunnerFleet> {
    /** Informers cache only what this operator manages, not every ConfigMap of the cluster. */
    static final String MANAGED_SELECTOR = "app.kubernetes.io/managed-by=runner-fleet-operator";

    FleetDependent(Class<R> type) {
        super(type);
    }

    abstract R pick(FleetObjects objects);

    /** The informer's cache trimmed ({@link CachedFields}) where it is one informer (see there why only then). */
    @Override
    protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(
            EventSourceContext<RunnerFleet> context) {
        InformerEventSourceConfiguration.Builder<R> builder = super.informerConfigurationBuilder(context);
        Set<String> namespaces = configuration()
                .map(KubernetesDependentResourceConfig::informerConfig)
                .map(informer -> informer.getEffectiveNamespaces(context.getControllerConfiguration()))
                .orElseGet(() -> context.getControllerConfiguration().getEffectiveNamespaces());
        if (CachedFields.oneInformerFor(namespaces)) {
            builder.withItemStore(new CachedFields<>());
        }
        return builder;
    }

    /** Final but for {@link WarmCapacityDependent}, whose object depends on more than the fleet. */
    @Override
    protected R desired(RunnerFleet fleet, Context<RunnerFleet> context) {
        return pick(DesiredState.of(context));
    }

    @Override
    public Result<R> match(R actual, RunnerFleet fleet, Context<RunnerFleet> context) {
        R desired = desired(fleet, context);
        return Result.computed(DesiredStateMatcher.matches(desired, actual), desired);
    }

    /** The builders already set the ownerReference where Kubernetes allows one (Owners); JOSDK must not add one. */
    @Override
    protected boolean addOwnerReference() {
        return false;
    }
}
