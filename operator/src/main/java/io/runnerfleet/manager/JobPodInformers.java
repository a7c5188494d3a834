package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manager's watch on its fleet's Job Pods: one informer per namespace a Job Pod may be in, the executor's and
 * each a job may move to with {@code KUBERNETES_NAMESPACE_OVERWRITE} ({@code spec.executor.namespaceOverwrite}).
 * One per namespace, not one over all namespaces, because the managers' RBAC is granted per namespace
 * ({@code desired.ManagerPermissions}); so adoption after a restart sees a pod wherever its job put it.
 */
final class JobPodInformers implements AutoCloseable {
    private final Map<String, SharedIndexInformer<Pod>> byNamespace = new LinkedHashMap<>();

    private JobPodInformers() {}

    /** The namespaces watched: the executor's first, then the allowed ones, each once. */
    static Set<String> namespaces(String executorNamespace, ExecutorSpec executor) {
        Set<String> namespaces = new LinkedHashSet<>();
        namespaces.add(executorNamespace);
        namespaces.addAll(executor.namespaceOverwriteOrNone().allowed());
        return namespaces;
    }

    static JobPodInformers start(KubernetesClient kubernetes, Set<String> namespaces, String fleet) {
        JobPodInformers started = new JobPodInformers();
        for (String namespace : namespaces) {
            started.byNamespace.put(
                    namespace,
                    kubernetes
                            .pods()
                            .inNamespace(namespace)
                            .withLabel(FleetLabels.FLEET, fleet)
                            .withLabel(FleetLabels.JOB_ID)
                            .inform());
        }
        return started;
    }

    /** The Job Pod of this name in whichever namespace it is (a job's pod name is unique to the job), or null. */
    Pod lookup(String name) {
        for (Map.Entry<String, SharedIndexInformer<Pod>> informer : byNamespace.entrySet()) {
            Pod pod = informer.getValue().getStore().getByKey(informer.getKey() + "/" + name);
            if (pod != null) {
                return pod;
            }
        }
        return null;
    }

    List<Pod> list() {
        List<Pod> pods = new ArrayList<>();
        byNamespace.values().forEach(informer -> pods.addAll(informer.getStore().list()));
        return pods;
    }

    boolean hasSynced() {
        return byNamespace.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    @Override
    public void close() {
        byNamespace.values().forEach(SharedIndexInformer::close);
    }
}
