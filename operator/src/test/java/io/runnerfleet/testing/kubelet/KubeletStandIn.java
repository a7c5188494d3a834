package io.runnerfleet.testing.kubelet;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.testing.gitlab.SelfSignedTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kubelet stand-in for the real kube-apiserver ({@code testing/RealApiServer}): a Node whose address is a local
 * HTTPS server answering what the API server proxies to a pod's node for a manager, so Job Pods played by the
 * simulated kubelet ({@link SimulatedKubelet} writes their statuses, {@link ContainerLogs} holds their output) can be
 * read through the real API server as on a cluster:
 *
 * <ul>
 *   <li>{@code GET /containerLogs/{ns}/{pod}/{container}} ({@code pods/log}; {@link StandInLogs}), streams that stay
 *       open while the container runs, as the kubelet's do;
 *   <li>{@code /exec/{ns}/{pod}/{container}} ({@code pods/exec}; {@link StandInExec}) over WebSocket
 *       {@code v4.channel.k8s.io}: the build log file reads of {@code manager/trace/KubernetesLogFiles}, answered from
 *       {@link SimulatedLogFiles}.
 * </ul>
 *
 * <p>The API server reaches the node at its {@code InternalIP} (127.0.0.1; {@code RealApiServer} prefers it) and the
 * port of {@code status.daemonEndpoints.kubeletEndpoint}. It verifies no kubelet serving certificate (it is started
 * without {@code --kubelet-certificate-authority}), so a self-signed one ({@link SelfSignedTls}) serves, and the
 * stand-in asks for no client certificate. Exec passes straight through: fabric8 asks for {@code v4.channel.k8s.io},
 * and kube-apiserver 1.34 translates only {@code v5.channel.k8s.io} WebSocket requests into SPDY towards the kubelet
 * (feature gate {@code TranslateStreamCloseWebsocketRequests}, {@code pkg/registry/core/pod/rest/subresources.go}
 * wraps the upgrade-aware proxy in a handler that translates only requests with the v5 protocol), so the upgrade
 * reaches the stand-in as the client sent it.
 *
 * <p>There is no scheduler either: {@link #bind} assigns a pod to this node (the {@code binding} subresource), which
 * the API server needs before it proxies anything to a node. And a pod on a node is deleted in two steps (the
 * kubelet confirms with grace period 0 once its containers are gone), so {@link #finishDeletion} plays that step.
 */
public final class KubeletStandIn implements AutoCloseable {
    private static final AtomicInteger NODES = new AtomicInteger();

    private final KubernetesClient admin;
    private final Vertx vertx;
    private final HttpServer server;
    private final String nodeName;
    private final StandInLogs logs;
    private final StandInExec exec;

    private KubeletStandIn(
            KubernetesClient admin,
            Vertx vertx,
            HttpServer server,
            String nodeName,
            StandInLogs logs,
            StandInExec exec) {
        this.admin = admin;
        this.vertx = vertx;
        this.server = server;
        this.nodeName = nodeName;
        this.logs = logs;
        this.exec = exec;
    }

    /**
     * Starts the HTTPS server on 127.0.0.1 (certificate in {@code dir}) and registers its Node, Ready, on the API
     * server {@code admin} talks to.
     */
    public static KubeletStandIn start(
            KubernetesClient admin, ContainerLogs containerLogs, SimulatedLogFiles files, Path dir) throws Exception {
        SelfSignedTls.create(dir);
        Vertx vertx = Vertx.vertx();
        StandInLogs logs = new StandInLogs(vertx, containerLogs);
        StandInExec exec = new StandInExec(files);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setKeyCertOptions(new PfxOptions()
                        .setPath(dir.resolve(SelfSignedTls.KEY_STORE).toString())
                        .setPassword(SelfSignedTls.keyStorePassword()))
                .setWebSocketSubProtocols(List.of(StandInExec.PROTOCOL)));
        server.requestHandler(request -> route(request, logs, exec));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            throw new IllegalStateException("the kubelet stand-in could not listen on 127.0.0.1: " + e, e);
        }
        String name = "kubelet-stand-in-" + ProcessHandle.current().pid() + "-" + NODES.incrementAndGet();
        registerNode(admin, name, server.actualPort());
        return new KubeletStandIn(admin, vertx, server, name, logs, exec);
    }

    private static void route(HttpServerRequest request, StandInLogs logs, StandInExec exec) {
        String path = request.path();
        if (path.startsWith("/containerLogs/")) {
            logs.handle(request);
        } else if (path.startsWith("/exec/")) {
            exec.handle(request);
        } else {
            request.response().setStatusCode(404).end("the kubelet stand-in serves containerLogs and exec only\n");
        }
    }

    private static void registerNode(KubernetesClient admin, String name, int port) {
        Node node = admin.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(Map.of("kubernetes.io/hostname", name))
                        .endMetadata()
                        .build())
                .create();
        node.setStatus(new NodeBuilder()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withReason("KubeletReady")
                .withMessage("kubelet stand-in (runner-fleet tests)")
                .endCondition()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("127.0.0.1")
                .endAddress()
                .addNewAddress()
                .withType("Hostname")
                .withAddress("localhost")
                .endAddress()
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint()
                .withPort(port)
                .endKubeletEndpoint()
                .endDaemonEndpoints()
                .endStatus()
                .build()
                .getStatus());
        admin.nodes().resource(node).updateStatus();
    }

    public String nodeName() {
        return nodeName;
    }

    /** Assigns the pod to this node, as the scheduler would ({@code pods/binding}). */
    public void bind(String namespace, String pod) {
        Binding binding = new BindingBuilder()
                .withNewMetadata()
                .withName(pod)
                .withNamespace(namespace)
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withApiVersion("v1")
                .withName(nodeName)
                .endTarget()
                .build();
        admin.bindings().inNamespace(namespace).resource(binding).create();
    }

    /**
     * The kubelet's half of a pod's deletion: a pod bound to a node that is deleted with a grace period only gets a
     * {@code deletionTimestamp}; the kubelet removes it (grace period 0) once its containers have stopped. Without
     * it every deleted Job Pod would stay, Terminating, for ever.
     */
    public void finishDeletion(String namespace, String pod) {
        try {
            admin.pods().inNamespace(namespace).withName(pod).withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** {@code containerLogs} requests the API server sent so far. */
    public int logRequests() {
        return logs.requests();
    }

    /** {@code exec} requests the API server sent so far (every one a build log file read). */
    public int execRequests() {
        return exec.requests();
    }

    @Override
    public void close() {
        try {
            admin.nodes().withName(nodeName).delete();
        } catch (KubernetesClientException e) {
            // the API server is stopping too: its node goes with it
        }
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("stopping the kubelet stand-in: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
