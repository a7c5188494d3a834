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
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's watch on its fleet's Job Pods: one informer per namespace a Job Pod may be in, the executor's and
 * each a job may move to with {@code KUBERNETES_NAMESPACE_OVERWRITE} ({@code spec.executor.namespaceOverwrite}).
 * One per namespace, not one over all namespaces, because the managers' RBAC is granted per namespace
 * ({@code desired.ManagerPermissions}); so adoption after a restart sees a pod wherever its job put it.
 */
final class JobPodInformers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobPodInformers.class);

    private final Map<String, SharedIndexInformer<Pod>> byNamespace = new LinkedHashMap<>();
    private String executorNamespace;

    private JobPodInformers() {}

    /** The namespaces watched: the executor's first, then the allowed ones, each once. */
    static Set<String> namespaces(String executorNamespace, ExecutorSpec executor) {
        Set<String> namespaces = new LinkedHashSet<>();
        namespaces.add(executorNamespace);
        namespaces.addAll(executor.namespaceOverwriteOrNone().allowed());
        return namespaces;
    }

    /**
     * Starts the informers. The executor namespace's is waited for and fails the start as before; the others start in
     * the background and keep retrying: a listed namespace that does not exist (the operator names it in a
     * {@code NamespaceMissing} event and grants no RBAC there, so the list is forbidden) must not stop the manager
     * nor keep it unready; only the jobs that ask for that namespace fail.
     */
    static JobPodInformers start(KubernetesClient kubernetes, Set<String> namespaces, String fleet) {
        JobPodInformers started = new JobPodInformers();
        for (String namespace : namespaces) {
            var pods = kubernetes
                    .pods()
                    .inNamespace(namespace)
                    .withLabel(FleetLabels.FLEET, fleet)
                    .withLabel(FleetLabels.JOB_ID);
            if (started.executorNamespace == null) {
                started.executorNamespace = namespace;
                started.byNamespace.put(namespace, pods.inform());
                continue;
            }
            SharedIndexInformer<Pod> informer = pods.runnableInformer(0);
            informer.exceptionHandler((wasStarted, error) -> {
                LOG.warn(
                        "cannot watch Job Pods in namespace {} (spec.executor.namespaceOverwrite.allowed): {}; "
                                + "retrying",
                        namespace,
                        error.getMessage());
                return true;
            });
            CompletionStage<Void> unused = informer.start();
            started.byNamespace.put(namespace, informer);
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

    /** Whether the executor namespace's informer has synced; the others' may lag or be refused (see {@link #start}). */
    boolean hasSynced() {
        return byNamespace.get(executorNamespace).hasSynced();
    }

    @Override
    public void close() {
        byNamespace.values().forEach(SharedIndexInformer::close);
    }
}
