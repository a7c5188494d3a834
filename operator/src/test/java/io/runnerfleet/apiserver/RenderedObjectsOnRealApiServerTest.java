package io.runnerfleet.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.jobpod.JobPodResources;
import io.runnerfleet.testing.Cli;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.validation.FleetLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything a user applies and everything {@code render} prints is really created on a real API server (not a
 * dry run), with {@code fieldValidation=Strict}: the examples, the fleet's objects, and the Job Pods and Secrets of
 * the example jobs. The server's own validation of built-in kinds (which the mock API server lacks) is the judge.
 *
 * <p>The examples name their namespaces ({@code gitlab}); this class is the only one that uses those fixed names
 * on the shared server.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class RenderedObjectsOnRealApiServerTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SEED = Examples.path("seed-fleet.yaml");
    /** A fleet with every spec field set, its Job Pods in another namespace than the fleet. */
    private static final Path FULL = Path.of("src", "test", "resources", "fleets", "full-fleet.yaml");
    /** gitlab-runner's config.toml with every supported [runners.kubernetes] key, imported. */
    private static final Path EVERY_KEY = Path.of("src", "test", "resources", "import", "every-key-config.toml");

    private static final List<String> FLEET_KINDS = List.of(
            "ConfigMap",
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "Service",
            "PodDisruptionBudget",
            "PodDisruptionBudget");

    private static RealApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start(RealApiServer realApiServer) {
        server = realApiServer;
        client = server.admin();
        server.installCrd();
        createSchedulingClasses();
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(Examples.path(""))) {
            List<Path> yaml = files.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
            assertThat(yaml).contains(SEED);
            return yaml.stream();
        }
    }

    static Stream<Path> jobs() throws IOException {
        try (Stream<Path> files = Files.list(Examples.path("jobs"))) {
            List<Path> jobs =
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(jobs).hasSizeGreaterThanOrEqualTo(3);
            return jobs.stream();
        }
    }

    /** {@code kubectl create namespace gitlab && kubectl apply -f examples/...}: the Secret and the RunnerFleet. */
    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleIsCreatedAsItIs(Path example) throws IOException {
        List<JsonNode> documents = documents(Files.readString(example));
        assertThat(documents).isNotEmpty();

        List<HasMetadata> created = createAll(documents);

        assertThat(created).extracting(HasMetadata::getKind).contains(RunnerFleet.KIND);
        for (HasMetadata object : created) {
            assertThat(client.resource(object).get())
                    .as("%s %s", object.getKind(), object.getMetadata().getName())
                    .isNotNull();
        }
        // And render takes the same file.
        Cli.Result render = Cli.run("render", "-f", example.toString());
        assertThat(render.exitCode()).as(render.err()).isZero();
    }

    /** Every object {@code render} prints for a fleet, in the namespaces it names, exactly as printed. */
    @ParameterizedTest
    @MethodSource("fleetFiles")
    void everyObjectRenderPrintsIsCreated(Path fleetFile) {
        List<JsonNode> documents = render(fleetFile);
        assertThat(documents).extracting(d -> d.path("kind").asText()).containsExactlyElementsOf(FLEET_KINDS);

        List<HasMetadata> created = createAll(documents);

        assertThat(created).hasSameSizeAs(documents);
        // The real server did its part: a ClusterIP for the metrics Service, defaults on the Deployment's pods.
        GenericKubernetesResource service = (GenericKubernetesResource) created.get(FLEET_KINDS.indexOf("Service"));
        assertThat((String) service.get("spec", "clusterIP")).matches("10\\.0\\.0\\.\\d+");
        GenericKubernetesResource deployment =
                (GenericKubernetesResource) created.get(FLEET_KINDS.indexOf("Deployment"));
        assertThat((String) deployment.get("spec", "template", "spec", "schedulerName"))
                .isEqualTo("default-scheduler");
    }

    static Stream<Path> fleetFiles() {
        return Stream.of(SEED, FULL);
    }

    /**
     * {@code render -f examples/seed-fleet.yaml --job examples/jobs/X.json}: the fleet's objects, unchanged, then the
     * job's Pod and its (redacted) Secret, both created.
     */
    @ParameterizedTest
    @MethodSource("jobs")
    void jobPodAndSecretRenderPrintsForEachExampleJobAreCreated(Path job) {
        List<JsonNode> fleetOnly = render(SEED);
        List<JsonNode> documents = render(SEED, "--job", job.toString());
        assertThat(documents.subList(0, fleetOnly.size())).isEqualTo(fleetOnly);
        List<JsonNode> jobDocuments = documents.subList(fleetOnly.size(), documents.size());
        // The job's Secret, and for a job with registry credentials the redacted pull Secret.
        assertThat(jobDocuments)
                .extracting(d -> d.path("kind").asText())
                .isIn(List.of("Pod", "Secret"), List.of("Pod", "Secret", "Secret"));

        // The Secrets first, as the manager creates them.
        List<JsonNode> inOrder = new java.util.ArrayList<>(jobDocuments.subList(1, jobDocuments.size()));
        inOrder.add(jobDocuments.get(0));
        List<HasMetadata> created = createAll(inOrder);

        GenericKubernetesResource pod = (GenericKubernetesResource) created.get(created.size() - 1);
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("gitlab");
        assertThat((String) pod.get("status", "phase")).isEqualTo("Pending");
    }

    /**
     * What a manager really creates for each example job (the unredacted Secret, with the job token and variables),
     * for the seed fleet and for the full fleet, whose Job Pods run in a namespace other than the fleet's, each in
     * a fresh namespace.
     */
    @ParameterizedTest
    @MethodSource("managerFleets")
    void jobPodsAndSecretsAManagerBuildsAreCreated(String name, String fleetYaml) throws IOException {
        RunnerFleet fleet = new FleetLoader().load(name, fleetYaml).get(0);
        String namespace = server.createNamespace("jobs");
        for (Path job : jobs().toList()) {
            JobPodResources resources = JobPodBuilder.build(JobPayloadReader.read(job), JobPodContext.forFleet(fleet));

            Secret secret = create(new SecretBuilder(resources.secret())
                    .editMetadata()
                    .withNamespace(namespace)
                    .endMetadata()
                    .build());
            resources
                    .registrySecret()
                    .ifPresent(registry -> create(new SecretBuilder(registry)
                            .editMetadata()
                            .withNamespace(namespace)
                            .endMetadata()
                            .build()));
            Pod pod = create(new PodBuilder(resources.pod())
                    .editMetadata()
                    .withNamespace(namespace)
                    .endMetadata()
                    .build());

            assertThat(secret.getData().keySet()).as(job.toString()).isNotEmpty();
            assertThat(pod.getSpec().getContainers())
                    .extracting(Container::getName)
                    .containsExactlyElementsOf(resources.pod().getSpec().getContainers().stream()
                            .map(Container::getName)
                            .toList());
        }
    }

    static Stream<Arguments> managerFleets() throws IOException {
        Cli.Result everyKey = Cli.run("import", EVERY_KEY.toString());
        assertThat(everyKey.exitCode()).as(everyKey.err()).isZero();
        return Stream.of(
                Arguments.of(SEED.toString(), Files.readString(SEED)),
                Arguments.of(FULL.toString(), Files.readString(FULL)),
                Arguments.of(EVERY_KEY.toString(), everyKey.out()));
    }

    /**
     * The PriorityClass and RuntimeClass the every-key config names: the server's admission refuses a pod naming one
     * that does not exist, as a cluster would.
     */
    private static void createSchedulingClasses() {
        List<HasMetadata> classes = List.of(
                new io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder()
                        .withNewMetadata()
                        .withName("runner-fleet-keys-ci")
                        .endMetadata()
                        .withValue(1000)
                        .build(),
                new io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder()
                        .withNewMetadata()
                        .withName("runner-fleet-keys-runc")
                        .endMetadata()
                        .withHandler("runc")
                        .build());
        for (HasMetadata object : classes) {
            if (client.resource(object).get() == null) {
                client.resource(object).create();
            }
        }
    }

    /**
     * {@code privileged} with {@code allowPrivilegeEscalation: false} is refused by the API server for every Job Pod;
     * render refuses the fleet up front, naming the field, and the server's own refusal of such a container shows
     * the rule is the server's.
     */
    @Test
    void privilegedContainerThatForbidsPrivilegeEscalationIsRefusedByRenderAndByTheServer() throws IOException {
        String contradiction = Files.readString(FULL)
                .replace(
                        "      readOnlyRootFilesystem: false\n",
                        "      readOnlyRootFilesystem: false\n      allowPrivilegeEscalation: false\n");
        Path file = Files.writeString(Files.createTempFile("contradiction", ".yaml"), contradiction);
        Cli.Result rendered = Cli.run("render", "-f", file.toString());
        assertThat(rendered.exitCode()).isEqualTo(2);
        assertThat(rendered.err()).contains("spec.executor.buildSecurityContext.allowPrivilegeEscalation");

        RunnerFleet fleet = new FleetLoader().load(FULL).get(0);
        JobPodResources resources = JobPodBuilder.build(
                JobPayloadReader.read(Examples.path("jobs/docker-build.json")), JobPodContext.forFleet(fleet));
        Pod pod = new PodBuilder(resources.pod()).build();
        Container build = pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("build"))
                .findFirst()
                .orElseThrow();
        build.getSecurityContext().setPrivileged(true);
        build.getSecurityContext().setAllowPrivilegeEscalation(false);
        String namespace = server.createNamespace("contradiction");

        KubernetesClientException refused = catchThrowableOfType(
                KubernetesClientException.class,
                () -> create(new PodBuilder(pod)
                        .editMetadata()
                        .withNamespace(namespace)
                        .endMetadata()
                        .build()));

        assertThat(refused).isNotNull();
        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getStatus().getMessage())
                .contains("cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
    }

    private static <T extends HasMetadata> T create(T object) {
        return client.resource(object)
                .fieldValidation(FieldValidateable.Validation.STRICT)
                .create();
    }

    private static List<JsonNode> render(Path fleetFile, String... more) {
        List<String> args = new ArrayList<>(List.of("render", "-f", fleetFile.toString()));
        args.addAll(List.of(more));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return documents(result.out());
    }

    private static List<JsonNode> documents(String yaml) {
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            return iterator.readAll().stream()
                    .filter(d -> d != null && !d.isNull() && !d.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates each document as it is (no typed model in between), its namespace first if it names one. */
    private static List<HasMetadata> createAll(List<JsonNode> documents) {
        List<HasMetadata> created = new ArrayList<>();
        for (JsonNode document : documents) {
            String namespace = document.path("metadata").path("namespace").asText(null);
            if (namespace != null) {
                server.createNamespaceNamed(namespace);
            }
            GenericKubernetesResource object =
                    JSON.convertValue((ObjectNode) document, GenericKubernetesResource.class);
            created.add(create(object));
        }
        return created;
    }
}
