package io.runnerfleet.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real single-node cluster of {@code src/test-cluster/} (kube-apiserver, etcd, controller-manager, scheduler,
 * kube-proxy, containerd and a kubelet on this machine), as the {@code *OnRealClusterTest} classes use it: read from
 * the {@code cluster.env} that {@code up.sh} writes, with the project's image built from the current jar and
 * imported into the node by {@code image.sh}, and the committed CRD applied.
 *
 * <p>A missing cluster makes those tests <b>fail</b> with the commands that bring one up; they are never skipped
 * ({@code .ci/run} brings it up). Everything a pod reaches is on this machine: the servers of a test listen on
 * {@link #hostIp()}, the bridge address, and pods resolve names only through the bridge's dnsmasq ({@link #dnsIp()}),
 * which forwards nothing.
 */
public final class RealNodeCluster {
    private static final Path STATE = Path.of(System.getenv()
            .getOrDefault(
                    "RUNNER_FLEET_TEST_CLUSTER", System.getProperty("user.home") + "/.runner-fleet-test-cluster"));
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static RealNodeCluster shared;
    private static RuntimeException startFailure;

    private final Map<String, String> env;
    private final KubernetesClient client;
    private final String runnerFleetImage;

    private RealNodeCluster(Map<String, String> env, KubernetesClient client, String runnerFleetImage) {
        this.env = env;
        this.client = client;
        this.runnerFleetImage = runnerFleetImage;
    }

    /** The cluster of this test run, checked and prepared on first use; a failure is remembered for later classes. */
    // startFailure: see the comment above; remembering the start's exception is the point.
    @SuppressWarnings("StaticAssignmentOfThrowable")
    public static synchronized RealNodeCluster shared() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (shared == null) {
            try {
                shared = connect();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** The {@code cluster.env} that {@code up.sh} writes. */
    public static Path envFile() {
        return STATE.resolve("cluster.env");
    }

    private static RealNodeCluster connect() {
        Path envFile = envFile();
        if (!Files.isRegularFile(envFile)) {
            throw new IllegalStateException("no real test cluster: " + envFile + " does not exist. Bring one up "
                    + "(as root): bash src/test-cluster/build.sh && bash src/test-cluster/up.sh "
                    + "(see src/test-cluster/README.md); .ci/run does this");
        }
        Map<String, String> env = readEnv(envFile);
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(read(Path.of(require(env, "KUBECONFIG")))))
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
        String node = require(env, "NODE_NAME");
        await("node " + node + " Ready")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> nodeReady(client, node));
        applyCrd(client);
        return new RealNodeCluster(env, client, importImage());
    }

    public KubernetesClient client() {
        return client;
    }

    /** The address at which pods reach servers on this machine (the bridge's); test servers listen here. */
    public InetAddress hostIp() {
        try {
            return InetAddress.getByName(require(env, "HOST_IP"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bridge's dnsmasq: the only nameserver a pod of these tests is given. */
    public String dnsIp() {
        return require(env, "DNS_IP");
    }

    /** {@code host:port} of the plain-HTTP registry pods push to and the node pulls from. */
    public String registry() {
        return require(env, "REGISTRY");
    }

    /** {@code host:port} of the plain-HTTP registry that requires basic auth ({@link #authRegistryUser()}). */
    public String authRegistry() {
        return require(env, "REGISTRY_AUTH");
    }

    public String authRegistryUser() {
        return require(env, "REGISTRY_AUTH_USER");
    }

    public String authRegistryPassword() {
        return require(env, "REGISTRY_AUTH_PASSWORD");
    }

    /**
     * The build image under a new tag of its repository in the auth registry (the manifest put again, so the layers
     * are shared): a name the node has never pulled, so that its pull really asks the registry, whatever ran before.
     */
    public String privateBuildImage(String tag) {
        String image = require(env, "IMAGE_BUILD_PRIVATE");
        String prefix = authRegistry() + "/";
        String repository = image.substring(prefix.length(), image.lastIndexOf(':'));
        String manifests = "http://" + authRegistry() + "/v2/" + repository + "/manifests/";
        String auth = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (authRegistryUser() + ":" + authRegistryPassword()).getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<byte[]> manifest = http.send(
                    HttpRequest.newBuilder(URI.create(manifests + image.substring(image.lastIndexOf(':') + 1)))
                            .header("Authorization", auth)
                            .header(
                                    "Accept",
                                    "application/vnd.oci.image.manifest.v1+json,"
                                            + "application/vnd.docker.distribution.manifest.v2+json")
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String type = manifest.headers().firstValue("Content-Type").orElse("");
            HttpResponse<String> put = http.send(
                    HttpRequest.newBuilder(URI.create(manifests + tag))
                            .header("Authorization", auth)
                            .header("Content-Type", type)
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (manifest.statusCode() != 200 || put.statusCode() != 201) {
                throw new IllegalStateException("tagging " + image + " as " + tag + ": " + manifest.statusCode() + ", "
                        + put.statusCode() + " " + put.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return prefix + repository + ":" + tag;
    }

    public String buildImage() {
        return require(env, "IMAGE_BUILD");
    }

    public String helperImage() {
        return require(env, "IMAGE_HELPER");
    }

    /** The node's own pod sandbox image (a static pause process), already in containerd: pause pods run it. */
    public String pauseImage() {
        return require(env, "IMAGE_PAUSE");
    }

    public String dindImage() {
        return require(env, "IMAGE_DIND");
    }

    /** The project's image built from this build's jar: what the operator and the managers run. */
    public String runnerFleetImage() {
        return runnerFleetImage;
    }

    public String nodeName() {
        return require(env, "NODE_NAME");
    }

    /** Makes the bridge's dnsmasq answer {@code name} with {@code ip} (it watches the file; no restart). */
    public void addDnsName(String name, String ip) {
        try {
            Files.writeString(
                    Path.of(require(env, "DNS_HOSTS_FILE")),
                    ip + " " + name + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends SIGKILL to a container's first process from outside, through containerd ({@code ctr tasks kill}), as the
     * runtime or a node's OOM killer would: a container's init cannot be SIGKILLed from inside its PID namespace.
     *
     * @param containerId the pod status's {@code containerID}, with or without its {@code containerd://} prefix
     */
    public void killFirstProcess(String containerId) {
        String id = containerId.substring(containerId.indexOf("://") + 3);
        try {
            Process process = new ProcessBuilder(
                            "ctr",
                            "--address",
                            require(env, "CTR_ADDRESS"),
                            "--namespace",
                            require(env, "CTR_NAMESPACE"),
                            "tasks",
                            "kill",
                            "--signal",
                            "SIGKILL",
                            id)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ctr tasks kill " + id + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Kills one daemon of the cluster ({@code kube-apiserver}, {@code containerd} or {@code kubelet}) and starts it
     * again as {@code up.sh} did, with {@code src/test-cluster/restart.sh}: returns when it is back and the cluster
     * healthy (API server ready, node Ready), or throws with the script's output.
     *
     * @param options restart.sh's: {@code --signal KILL}, {@code --stop-for SECONDS}, {@code --ensure-up}
     */
    public void restart(String component, String... options) {
        List<String> command = new ArrayList<>(List.of(
                "bash", projectRoot().resolve("src/test-cluster/restart.sh").toString(), component));
        command.addAll(List.of(options));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.err.print(out);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh namespace whose name starts with {@code prefix}. */
    public String createNamespace(String prefix) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        await("default ServiceAccount in " + name)
                .atMost(Duration.ofSeconds(30))
                .until(() -> client.serviceAccounts()
                                .inNamespace(name)
                                .withName("default")
                                .get()
                        != null);
        return name;
    }

    private static boolean nodeReady(KubernetesClient client, String name) {
        var node = client.nodes().withName(name).get();
        return node != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The committed CRD, as a user applies it: created, or updated when an earlier run left an older one. */
    private static void applyCrd(KubernetesClient client) {
        CustomResourceDefinition crd = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .load(RealApiServer.CRD.toFile())
                .item();
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(crd)
                .forceConflicts()
                .serverSideApply();
        await("CRD established")
                .atMost(Duration.ofSeconds(30))
                .until(() -> RealApiServer.established(client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(RunnerFleet.CRD_NAME)
                        .get()));
    }

    /** {@code image.sh} adds this build's jar to the node as the project's image and prints its reference. */
    private static String importImage() {
        Path root = projectRoot();
        Path jar = root.resolve("operator/target/runner-fleet.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: the real-cluster tests run after `package` "
                    + "(./mvnw verify runs them in the integration-test phase)");
        }
        try {
            Process process = new ProcessBuilder(
                            "bash", root.resolve("src/test-cluster/image.sh").toString(), jar.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException(
                        "src/test-cluster/image.sh " + jar + " failed (exit " + process.exitValue() + ")");
            }
            return out.lines().reduce((a, b) -> b).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path projectRoot() {
        String root = System.getProperty("project.root");
        return root == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
    }

    /** {@code KEY=value} lines; blank lines and {@code #} comments ignored. */
    static Map<String, String> readEnv(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String trimmed = line.strip();
            int eq = trimmed.indexOf('=');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || eq <= 0) {
                continue;
            }
            env.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        return env;
    }

    private static String require(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(
                    "cluster.env has no " + key + ": bring the cluster up again with " + "bash src/test-cluster/up.sh");
        }
        return value;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
