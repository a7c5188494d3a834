package io.runnerfleet.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real {@code kube-apiserver} v1.34.4 with its {@code etcd} (fabric8 kube-api-test; no kubelet, no controllers),
 * started once per test JVM and shared by every test class that asks for it, stopped when the JUnit run ends
 * ({@link RealApiServerExtension}) or, failing that, by a JVM shutdown hook.
 *
 * <p>The binaries are built from source by {@code src/test-apiserver/build.sh}; offline mode is on, so nothing is
 * ever downloaded. When they are missing the tests <b>fail</b> with a message saying how to build them; they are
 * never skipped. The API server listens on 127.0.0.1 only (etcd's client port is on 0.0.0.0: kube-api-test
 * hard-codes it).
 *
 * <p>Tests share one server, so each works in namespaces of its own ({@link #createNamespace}). The admin client
 * authenticates with kube-api-test's client certificate (group {@code system:masters}); {@link #impersonating}
 * and {@link #asServiceAccount} give clients that RBAC judges like other users.
 *
 * <p>A {@code TestCluster} on it needs no more than this class: {@code client()} is {@link #newClient(Config,
 * Consumer)} on {@link #adminConfig()} (with an interceptor for {@code writes()}), {@code createNamespace} is
 * {@link #createNamespace}, and {@code setDeploymentReady} is the same {@code updateStatus} as on the mock, since no
 * Deployment controller runs here either. {@code close()} closes only that client; the server stays for the run.
 */
public final class RealApiServer implements AutoCloseable {
    /** The Kubernetes version the binaries are built at; pinned so a newer directory in the test dir is not used. */
    public static final String VERSION = "1.34.4";
    /** The committed CRD, applied as is. */
    public static final Path CRD = Path.of("..", "crd", RunnerFleet.CRD_NAME + "-v1.yml");

    /**
     * A second range of ClusterIPs for Services. kube-api-test's own ({@code --service-cluster-ip-range 10.0.0.0/24},
     * given after our flags, so it cannot be overridden) holds 253 Services besides {@code kubernetes}, and every
     * fleet has one (its metrics Service): the 254th fleet's create failed with "failed to allocate a serviceIP:
     * range is full", a 500 the client retries for about 100 s, holding a reconciler and a workflow thread each time
     * JOSDK retries, which was the 1,000-fleet benchmark's "stall" (bench/README.md, 3b). Since Kubernetes 1.33 an
     * extra ServiceCIDR object adds addresses (a /16: 65,534); with no controller to set its Ready condition, the
     * API server's allocator takes it as ready (pkg/registry/core/service/ipallocator/cidrallocator.go, isReady).
     */
    public static final String EXTRA_SERVICE_CIDR = "10.1.0.0/16";

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static RealApiServer shared;
    private static RuntimeException startFailure;

    private final KubeAPIServer server;
    private final Config adminConfig;
    private final KubernetesClient admin;
    private final Duration startupTime;
    private final AuditLog audit;
    private boolean crdInstalled;
    private boolean stopped;

    private RealApiServer(KubeAPIServer server, Config adminConfig, Duration startupTime, AuditLog audit) {
        this.server = server;
        this.audit = audit;
        this.adminConfig = adminConfig;
        this.admin = newClient(adminConfig);
        this.startupTime = startupTime;
        admin.resource(new ServiceCIDRBuilder()
                        .withNewMetadata()
                        .withName("runner-fleet-tests")
                        .endMetadata()
                        .withNewSpec()
                        .withCidrs(EXTRA_SERVICE_CIDR)
                        .endSpec()
                        .build())
                .createOr(NonDeletingOperation::update);
    }

    /**
     * The server of this JVM, started on first use (about 3 s). A failed start is remembered, so the next test class
     * fails at once with the same message instead of waiting for another start-up timeout.
     */
    // startFailure: see the comment above; remembering the start's exception is the point.
    @SuppressWarnings("StaticAssignmentOfThrowable")
    public static synchronized RealApiServer shared() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            RealApiServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "real-api-server-stop"));
        }
        return shared;
    }

    private static RealApiServer start() {
        String testDir = testDir();
        Path binaries = binaryDir(testDir);
        List<String> missing = List.of("etcd", "kube-apiserver", "kubectl").stream()
                .filter(name -> !Files.isExecutable(binaries.resolve(name)))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The real API server tests need kube-apiserver, etcd and kubectl v"
                    + VERSION + " in " + binaries + ", but " + String.join(", ", missing) + " "
                    + (missing.size() == 1 ? "is" : "are") + " missing. Build them from source with "
                    + "`bash src/test-apiserver/build.sh` (needs go and the Go module proxy; about 5 minutes "
                    + "the first time), using the same KUBE_API_TEST_DIR as the tests (now " + testDir + ").");
        }
        AuditLog audit = AuditLog.create();
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir)
                .withApiServerVersion(VERSION)
                // Set in code: kube-api-test 7.5.2 throws ClassCastException for KUBE_API_TEST_OFFLINE_MODE.
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withApiServerFlag("--bind-address", "127.0.0.1")
                // The kubelet stand-in (testing/kubelet/KubeletStandIn) is a Node at InternalIP 127.0.0.1. No
                // --kubelet-certificate-authority: the API server then does not verify the kubelet's serving
                // certificate, so the stand-in's self-signed one serves.
                .withApiServerFlag("--kubelet-preferred-address-types", "InternalIP")
                // One audit line per request (its User-Agent among the metadata): how the soak counts the API
                // requests of manager processes, which no in-process interceptor sees (the mock counts them itself).
                .withApiServerFlag("--audit-policy-file", audit.policy().toString())
                .withApiServerFlag("--audit-log-path", audit.log().toString())
                .withApiServerFlag("--audit-log-format", "json")
                .build());
        long begin = System.nanoTime();
        try {
            server.start();
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw new IllegalStateException(
                    "The real API server (" + binaries + ") did not start: " + e
                            + ". Its output is logged at DEBUG by io.fabric8.kubeapitest.process (set that logger to DEBUG "
                            + "in logback.xml to see it).",
                    e);
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - begin);
        System.err.printf("real kube-apiserver v%s ready in %d ms%n", VERSION, startup.toMillis());
        return new RealApiServer(server, Config.fromKubeconfig(server.getKubeConfigYaml()), startup, audit);
    }

    private static String testDir() {
        String dir = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
        return dir != null
                ? dir
                : Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME)
                        .toString();
    }

    /** Where kube-api-test looks for an exact version: {@code <dir>/k8s/<version>-<os>-<arch>}. */
    private static Path binaryDir(String testDir) {
        return Path.of(testDir, "k8s", VERSION + Utils.platformSuffix(new OSInfo()));
    }

    /** How long the shared server took to become ready (readyz and the {@code default} namespace). */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Requests this server has answered (or refused) whose User-Agent is {@code userAgent}, from its audit log: every
     * request of a client started with {@code -Dkubernetes.user.agent=...}, watches, log streams and execs included.
     */
    public long requestsBy(String userAgent) {
        return audit.requestsBy(userAgent);
    }

    /** A kubeconfig with the admin's credentials, for a process of its own (e.g. the operator command). */
    public String kubeconfigYaml() {
        return server.getKubeConfigYaml();
    }

    /** A client in group {@code system:masters}; shared, do not close it. */
    public KubernetesClient admin() {
        return admin;
    }

    /** A copy of the admin client's configuration (server URL, CA, client certificate), to build other clients. */
    public Config adminConfig() {
        return new ConfigBuilder(adminConfig).build();
    }

    /** A new client for {@code config}; the caller closes it. */
    public static KubernetesClient newClient(Config config) {
        return newClient(config, http -> {});
    }

    /**
     * A new client for {@code config} whose HTTP client {@code http} may add to, e.g. an {@link Interceptor} that
     * records the requests a component makes (what the mock API server records by itself). The caller closes it.
     */
    public static KubernetesClient newClient(Config config, Consumer<HttpClient.Builder> http) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(http)
                .build();
    }

    /**
     * A new client that authenticates as the admin but acts as {@code username} in {@code groups} (HTTP
     * {@code Impersonate-User}/{@code Impersonate-Group}); RBAC judges its requests as that user's. Close it.
     */
    public KubernetesClient impersonating(String username, String... groups) {
        Config config = adminConfig();
        config.setImpersonateUsername(username);
        config.setImpersonateGroups(groups);
        return newClient(config);
    }

    /** A new client acting as ServiceAccount {@code namespace/name}, with the groups a token of it would have. */
    public KubernetesClient asServiceAccount(String namespace, String name) {
        return impersonating(
                "system:serviceaccount:" + namespace + ":" + name,
                "system:serviceaccounts",
                "system:serviceaccounts:" + namespace,
                "system:authenticated");
    }

    /** Creates a namespace whose name starts with {@code prefix}, unique on this server, and returns its name. */
    public String createNamespace(String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        createNamespaceNamed(name);
        return name;
    }

    /** Creates the namespace {@code name} (for examples whose namespace is fixed) unless it exists. */
    public synchronized void createNamespaceNamed(String name) {
        if (admin.namespaces().withName(name).get() == null) {
            admin.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .build())
                    .create();
        }
    }

    /** Creates the RunnerFleet CRD from {@link #CRD}, as is, once per server, and waits until it is Established. */
    public synchronized CustomResourceDefinition installCrd() {
        if (!crdInstalled) {
            CustomResourceDefinition crd = admin.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(CRD.toFile())
                    .item();
            admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            crdInstalled = true;
        }
        return admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(RunnerFleet.CRD_NAME)
                .waitUntilCondition(RealApiServer::established, 30, TimeUnit.SECONDS);
    }

    public static boolean established(CustomResourceDefinition crd) {
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Stops the API server and etcd and deletes etcd's data; idempotent. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        admin.close();
        stopQuietly(server);
        audit.delete();
    }

    private static void stopQuietly(KubeAPIServer server) {
        try {
            server.stop();
        } catch (RuntimeException e) {
            System.err.println("stopping the real API server: " + e);
        }
    }
}
