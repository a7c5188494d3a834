package io.runnerfleet.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@link TestCluster} on the shared real {@link RealApiServer}: a client of its own (admin credentials) whose HTTP
 * interceptor records every mutating request as "METHOD path", what the mock records by itself; the RunnerFleet CRD
 * installed and Established; namespaces unique on the server. No controller runs, so the test plays the Deployment
 * controller ({@link TestCluster#setDeploymentReady}). Closing it
 * closes only its client; the server stays up for the rest of the run.
 */
public final class RealApiTestCluster implements TestCluster {
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final RealApiServer server;
    private final List<String> writes = new ArrayList<>();
    private final List<String> reads = new ArrayList<>();
    private final KubernetesClient client;

    private RealApiTestCluster(RealApiServer server) {
        this.server = server;
        this.client = RealApiServer.newClient(
                server.adminConfig(),
                http -> http.addOrReplaceInterceptor("record-writes", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        if (WRITE_METHODS.contains(request.method())) {
                            record(request.method() + " " + pathOf(request.uri()));
                        } else if ("GET".equals(request.method()) && !isWatch(request.uri())) {
                            recordRead("GET " + pathOf(request.uri()));
                        }
                    }
                }));
    }

    /** A cluster on {@code server}, with the RunnerFleet CRD installed. */
    public static RealApiTestCluster on(RealApiServer server) {
        server.installCrd();
        return new RealApiTestCluster(server);
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String createNamespace(String prefix) {
        return server.createNamespace(prefix);
    }

    @Override
    public synchronized List<String> writes() {
        return List.copyOf(writes);
    }

    private synchronized void record(String write) {
        writes.add(write);
    }

    /**
     * GET requests that are no watch (gets and lists, e.g. a reconciler reading what its caches hold) seen so far,
     * as "GET path", oldest first.
     */
    public synchronized List<String> reads() {
        return List.copyOf(reads);
    }

    private synchronized void recordRead(String read) {
        reads.add(read);
    }

    private static boolean isWatch(URI uri) {
        return uri.getRawQuery() != null && uri.getRawQuery().contains("watch=true");
    }

    private static String pathOf(URI uri) {
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    @Override
    public void close() {
        client.close();
    }
}
