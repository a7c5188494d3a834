package io.runnerfleet.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's mock API server in CRUD mode with the RunnerFleet CRD applied from {@code crd/} (which also turns on
 * its status subresource). Counts writes from the requests the mock records.
 *
 * <p>The mock authorizes everything; it answers a SelfSubjectRulesReview (which JOSDK's leader election makes to
 * check it may use Leases) the way a real API server answers for a subject allowed everything.
 */
public final class MockTestCluster implements TestCluster {
    private static final Path CRD = Path.of("..", "crd", "runnerfleets.runnerfleet.io-v1.yml");
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** The mock logs every request at INFO through JUL; held here so the level setting is not garbage-collected. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final List<String> writes = new ArrayList<>();

    private MockTestCluster(KubernetesMockServer server, KubernetesClient client) {
        this.server = server;
        this.client = client;
    }

    public static MockTestCluster start() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new AuthorizingCrudDispatcher(), false);
        server.init();
        KubernetesClient client = server.createClient(new JdkHttpClientFactory());
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .load(CRD.toFile())
                .create();
        return new MockTestCluster(server, client);
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public synchronized List<String> writes() {
        try {
            RecordedRequest request;
            while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                if (WRITE_METHODS.contains(request.getMethod())) {
                    writes.add(request.getMethod() + " " + request.getPath());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(writes);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    /** The CRUD dispatcher, plus the authorization API's answer for a subject that may do anything. */
    private static final class AuthorizingCrudDispatcher extends KubernetesCrudDispatcher {
        private static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
        private static final String EVERYTHING = "{\"apiVersion\":\"authorization.k8s.io/v1\","
                + "\"kind\":\"SelfSubjectRulesReview\",\"spec\":{},\"status\":{\"incomplete\":false,"
                + "\"resourceRules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}],"
                + "\"nonResourceRules\":[{\"verbs\":[\"*\"],\"nonResourceURLs\":[\"*\"]}]}}";

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            if (!request.getPath().startsWith(RULES_REVIEWS)) {
                return super.handleCreate(request);
            }
            return new MockResponse()
                    .setResponseCode(201)
                    .setHeader("Content-Type", "application/json")
                    .setBody(EVERYTHING);
        }
    }
}
