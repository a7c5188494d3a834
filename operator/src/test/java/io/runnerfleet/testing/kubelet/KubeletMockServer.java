package io.runnerfleet.testing.kubelet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.util.HashMap;

/**
 * A fabric8 {@link KubernetesMockServer} in CRUD mode (the dispatcher {@code @EnableKubernetesMockClient(crud = true)}
 * installs) with {@link KubeletLogDispatcher} in front, its {@link ContainerLogs} and a client. Close it after use.
 */
public final class KubeletMockServer implements AutoCloseable {
    private final KubernetesMockServer server;
    private final ContainerLogs logs;
    private final KubernetesClient client;
    private final KubeletLogDispatcher dispatcher;

    private KubeletMockServer(Clock logClock) {
        this.logs = new ContainerLogs(logClock);
        var responses = new HashMap<
                io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        this.dispatcher = new KubeletLogDispatcher(new KubernetesMixedDispatcher(responses), logs);
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        server.init();
        this.client = server.createClient();
    }

    /** Starts a server whose log lines are stamped by {@code logClock}. */
    public static KubeletMockServer start(Clock logClock) {
        return new KubeletMockServer(logClock);
    }

    public KubernetesMockServer server() {
        return server;
    }

    /** Every request the server answered (method, path, User-Agent). */
    public java.util.List<KubeletLogDispatcher.ApiRequest> requests() {
        return dispatcher.requests();
    }

    /** Answers matching requests with an error from now on ({@code null}: none); see {@link KubeletLogDispatcher#refuse}. */
    public void refuse(KubeletLogDispatcher.Refusal refusal) {
        dispatcher.refuse(refusal);
    }

    public ContainerLogs logs() {
        return logs;
    }

    public KubernetesClient client() {
        return client;
    }

    /** A kubelet for one pod that already exists on this server. */
    public SimulatedKubelet kubelet(String namespace, String pod) {
        return new SimulatedKubelet(client, logs, namespace, pod);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
