package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's Nodes and the pods bound to them, watched for {@code capacityAware: nodes} (read access the operator
 * grants the managers only in that mode, {@code desired.ManagerPermissions.NODE_RULES}). Of a pod only what
 * {@link NodeHeadroom} reads is kept ({@code spec.nodeName}, the containers' resources, overhead, phase): a cluster's
 * pods are many, and their full specs would make the manager's memory grow with the cluster. Terminated pods are
 * left out by a field selector, so they are neither listed nor kept.
 */
final class NodeWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeWatch.class);

    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;

    private NodeWatch(SharedIndexInformer<Node> nodes, SharedIndexInformer<Pod> pods) {
        this.nodes = nodes;
        this.pods = pods;
    }

    /**
     * Starts both informers and waits a little for their first lists. A watch the API server refuses (no ClusterRole
     * yet) is retried in the background; until both have listed, nothing is held back for nodes.
     */
    static NodeWatch start(KubernetesClient kubernetes) {
        SharedIndexInformer<Node> nodes = kubernetes.nodes().runnableInformer(0);
        SharedIndexInformer<Pod> pods = kubernetes
                .pods()
                .inAnyNamespace()
                .withoutField("status.phase", "Succeeded")
                .withoutField("status.phase", "Failed")
                .runnableInformer(0);
        pods.itemStore(new BasicItemStore<>(Cache::metaNamespaceKeyFunc) {
            @Override
            public Pod put(String key, Pod pod) {
                return super.put(key, slim(pod));
            }
        });
        for (SharedIndexInformer<?> informer : List.of(nodes, pods)) {
            informer.exceptionHandler((wasStarted, error) -> {
                LOG.warn(
                        "cannot watch the cluster's nodes and pods (capacityAware: nodes): {}; retrying",
                        error.getMessage());
                return true;
            });
        }
        CompletionStage<Void> nodesSynced = nodes.start();
        CompletionStage<Void> podsSynced = pods.start();
        try {
            nodesSynced.toCompletableFuture().get(10, TimeUnit.SECONDS);
            podsSynced.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn(
                    "the cluster's nodes and pods are not listed yet ({}); jobs are requested meanwhile", e.toString());
        }
        return new NodeWatch(nodes, pods);
    }

    boolean synced() {
        return nodes.hasSynced() && pods.hasSynced();
    }

    /** Every node as {@code jobPod} sees it, with the requests of the non-terminated pods bound to it. */
    List<NodeHeadroom> headroom(Pod jobPod) {
        Map<String, PodSize> requested = new HashMap<>();
        for (Pod pod : pods.getStore().list()) {
            String node = pod.getSpec().getNodeName();
            if (node != null && !node.isEmpty()) {
                requested.merge(node, PodSize.of(pod), PodSize::plus);
            }
        }
        return nodes.getStore().list().stream()
                .map(node -> NodeHeadroom.of(
                        node, requested.getOrDefault(node.getMetadata().getName(), PodSize.zero()), jobPod))
                .toList();
    }

    /** What {@link PodSize} and the node sums read of a pod, and the key the informer needs. */
    static Pod slim(Pod pod) {
        var spec = pod.getSpec();
        return new PodBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace())
                .withUid(pod.getMetadata().getUid())
                .withResourceVersion(pod.getMetadata().getResourceVersion())
                .endMetadata()
                .withNewSpec()
                .withNodeName(spec.getNodeName())
                .withOverhead(spec.getOverhead())
                .withResources(spec.getResources())
                .withContainers(
                        spec.getContainers().stream().map(NodeWatch::slim).toList())
                .withInitContainers(
                        spec.getInitContainers().stream().map(NodeWatch::slim).toList())
                .endSpec()
                .withNewStatus()
                .withPhase(pod.getStatus() == null ? null : pod.getStatus().getPhase())
                .endStatus()
                .build();
    }

    private static Container slim(Container container) {
        return new ContainerBuilder()
                .withName(container.getName())
                .withResources(container.getResources())
                .withRestartPolicy(container.getRestartPolicy())
                .build();
    }

    @Override
    public void close() {
        nodes.close();
        pods.close();
    }
}
