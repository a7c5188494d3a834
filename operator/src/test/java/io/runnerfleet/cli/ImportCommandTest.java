package io.runnerfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.runnerfleet.api.v1alpha1.GitLabSpec;
import io.runnerfleet.api.v1alpha1.ManagerResources;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.RunnerFleetSpec;
import io.runnerfleet.api.v1alpha1.SecretKeyRef;
import io.runnerfleet.api.v1alpha1.WarmCapacityPolicy;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.config.KubernetesKeys;
import io.runnerfleet.testing.Cli;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.Golden;
import io.runnerfleet.validation.FleetLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

class ImportCommandTest {
    private static final String CONFIG = "src/test/resources/import/gitlab-runner-config.toml";
    private static final String EVERY_KEY = "src/test/resources/import/every-key-config.toml";
    private static final String VALUES = "src/test/resources/import/gitlab-runner-values.yaml";
    private static final String SEED = Examples.path("seed-fleet.yaml").toString();
    private static final String MINIMAL = """
            concurrent = 4
            [[runners]]
              name = "small"
              url = "https://gitlab.example.com/"
              token = "glrt-SECRET-minimal"
              executor = "kubernetes"
              [runners.kubernetes]
                namespace = "ci"
            """;

    @TempDir
    Path dir;

    @Test
    void configTomlImportsAsTheGoldenFleetWithWarningsForWhatHasNoCounterpart() {
        Cli.Result result = Cli.run("import", CONFIG);
        assertThat(result.exitCode()).as(result.err()).isZero();
        Golden.assertMatches("import/config-toml.yaml", result.out());
        Golden.assertMatches("import/config-toml.stderr", result.err());
        assertThat(result.err())
                .contains(
                        "runners[0].kubernetes.namespace_per_job: Job Pods run in the executor's namespace; not supported "
                                + "by runner-fleet yet; dropped")
                .contains("runners[0].token: never copied; put the runner authentication token into Secret "
                        + "gitlab/build-fleet-k8s-token, key token");
    }

    /**
     * gitlab-runner's {@code [runners.kubernetes.autoscaler]} becomes spec.warmCapacity (docs/executors/kubernetes
     * "Configure pause pods"), with a warning for each key that does not apply.
     */
    @Test
    void autoscalerPolicyBecomesWarmCapacityWithWarningsForWhatDoesNotApply() throws Exception {
        String toml = MINIMAL + """
                    [runners.kubernetes.autoscaler]
                      max_pause_pods = 10
                      pause_pod_priority_class_name = "pause-pods"
                      pause_pod_image_pull_secrets = ["regcred"]
                      [[runners.kubernetes.autoscaler.policy]]
                        idle_count = 5
                        periods = ["* 8-17 * * mon-fri"]
                        timezone = "Europe/Berlin"
                        idle_time = "10m"
                        scale_factor = 0.5
                        scale_factor_limit = 8
                        preemptive_mode = true
                      [[runners.kubernetes.autoscaler.policy]]
                        idle_count = 0
                        periods = ["* * * * *"]
                """;
        Cli.Result result = Cli.run("import", write("config.toml", toml));
        assertThat(result.exitCode()).as(result.err()).isZero();

        RunnerFleet fleet = new FleetLoader().load("imported", result.out()).get(0);
        WarmCapacitySpec warm = fleet.getSpec().warmCapacity();
        assertThat(warm.maxPausePods()).isEqualTo(10);
        assertThat(warm.priorityClass()).isEqualTo("pause-pods");
        assertThat(warm.policies())
                .containsExactly(
                        new WarmCapacityPolicy(List.of("* 8-17 * * mon-fri"), "Europe/Berlin", 5, "10m", 0.5, 8),
                        new WarmCapacityPolicy(List.of("* * * * *"), null, 0, null, null, null));
        assertThat(result.err())
                .contains("runners[0].kubernetes.autoscaler.pause_pod_image_pull_secrets: pause pods pull their image "
                        + "without pull secrets")
                .contains("runners[0].kubernetes.autoscaler.policy[0].preemptive_mode: a fleeting instance setting")
                .doesNotContain("runners[0].kubernetes.autoscaler: ");

        Cli.Result bad = Cli.run(
                "import",
                write(
                        "bad.toml",
                        MINIMAL + "    [runners.kubernetes.autoscaler]\n      "
                                + "[[runners.kubernetes.autoscaler.policy]]\n        idle_time = \"soon\"\n"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err())
                .contains("runners[0].kubernetes.autoscaler.policy[0].idle_time")
                .contains("\"10m\"");
    }

    @Test
    void helmValuesWithRunnersConfigImportAsTheGoldenFleet() {
        Cli.Result result = Cli.run("import", "--values", VALUES, "--namespace", "gitlab");
        assertThat(result.exitCode()).as(result.err()).isZero();
        Golden.assertMatches("import/helm-values.yaml", result.out());
        Golden.assertMatches("import/helm-values.stderr", result.err());
        assertThat(result.err())
                .contains("image: \"registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v18.3.0\" "
                        + "is gitlab-runner's own image, not a runner-fleet manager image; left out");

        // What the API server makes of the printed fleet: the chart's resources arrive whole, not merged with ours.
        RunnerFleet fleet = new FleetLoader().load("imported", result.out()).get(0);
        assertThat(fleet.getMetadata().getName()).isEqualTo("build-fleet");
        assertThat(fleet.getSpec().managers().resources())
                .isEqualTo(new ManagerResources(Map.of("memory", "512Mi"), Map.of("cpu", "200m", "memory", "256Mi")));
        assertThat(fleet.getSpec().managers().shutdownTimeout()).isEqualTo("30s");
        assertThat(fleet.getSpec().executor().namespace()).isEqualTo("gitlab");
    }

    @Test
    void aTokenInTheInputNeverReachesTheOutput() {
        for (String[] args :
                List.of(new String[] {"import", CONFIG}, new String[] {"import", "--values", VALUES}, new String[] {
                    "import", CONFIG, "--values", VALUES
                })) {
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).isZero();
            assertThat(result.out() + result.err())
                    .doesNotContain("SECRET")
                    .doesNotContain("1234")
                    .doesNotContain("5678");
        }
        Cli.Result result = Cli.run("import", write("config.toml", MINIMAL));
        assertThat(result.out() + result.err()).doesNotContain("SECRET");
        assertThat(result.out()).contains("token: glrt-REPLACE-ME");
    }

    private static final String S3_CACHE = MINIMAL + """
                [runners.cache]
                  Type = "s3"
                  Path = "ci"
                  Shared = true
                  [runners.cache.s3]
                    ServerAddress = "minio.example.com:9000"
                    AccessKey = "AKIA-SECRET-ACCESS"
                    SecretKey = "SECRET-KEY-VALUE"
                    BucketName = "runner-cache"
                    Insecure = true
            """;

    @Test
    void anS3CacheImportsWithoutItsKeysAndRendersBackIntoConfigToml() throws IOException {
        Cli.Result imported = Cli.run("import", write("config.toml", S3_CACHE));
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out() + imported.err()).doesNotContain("SECRET");
        assertThat(imported.err())
                .contains("runners[0].cache.s3.AccessKey: never copied; put the cache credentials into Secret "
                        + "ci/small-cache (keys accesskey and secretkey for s3)")
                .contains("runners[0].cache.s3.SecretKey: never copied");
        RunnerFleet fleet = new FleetLoader().load("imported", imported.out()).get(0);
        assertThat(fleet.getSpec().runner().cache().s3().credentialsSecret()).isEqualTo("small-cache");
        assertThat(fleet.getSpec().runner().cache().shared()).isTrue();

        Path fleetFile = dir.resolve("imported.yaml");
        Files.writeString(fleetFile, imported.out());
        Cli.Result rendered = Cli.run("render", "-f", fleetFile.toString());
        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        assertThat(rendered.out())
                .contains("[runners.cache]", "Type = \"s3\"", "Shared = true", "BucketName = \"runner-cache\"")
                .contains("name: CACHE_S3_SECRET_KEY")
                .doesNotContain("SECRET-KEY-VALUE");
    }

    @Test
    void aGcsCacheImportsButRenderRefusesItNamingTheField() throws IOException {
        Cli.Result imported = Cli.run("import", write("config.toml", MINIMAL + """
                [runners.cache]
                  Type = "gcs"
                  [runners.cache.gcs]
                    BucketName = "ci-cache"
            """));
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.err()).contains("cache type gcs is not supported yet");
        Path fleetFile = dir.resolve("gcs.yaml");
        Files.writeString(fleetFile, imported.out());
        Cli.Result rendered = Cli.run("render", "-f", fleetFile.toString());
        assertThat(rendered.exitCode()).isEqualTo(2);
        assertThat(rendered.err()).contains("spec.runner.cache.type", "cache type gcs is not supported yet");
    }

    @Test
    void theImportedFleetLoadsCleanlyAndRenders() throws IOException {
        for (String[] args : List.of(new String[] {"import", CONFIG}, new String[] {"import", "--values", VALUES})) {
            Cli.Result imported = Cli.run(args);
            Path fleetFile = dir.resolve("imported.yaml");
            Files.writeString(fleetFile, imported.out());
            assertThat(new FleetLoader().load(fleetFile)).hasSize(1);
            Cli.Result rendered = Cli.run("render", "-f", fleetFile.toString());
            assertThat(rendered.err()).isEmpty();
            assertThat(rendered.exitCode()).isZero();
            assertThat(rendered.out()).contains("kind: Deployment");
        }
    }

    @Test
    void importOfTheConfigTomlThatRenderWritesGivesBackTheSeedFleet() throws Exception {
        Cli.Result rendered = Cli.run("render", "-f", SEED);
        String configToml = documents(rendered.out()).stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap"))
                .findFirst()
                .orElseThrow()
                .path("data")
                .path("config.toml")
                .asText();
        Cli.Result imported = Cli.run("import", write("config.toml", configToml), "--replicas", "3");
        assertThat(imported.err()).isEmpty();
        assertThat(imported.exitCode()).isZero();

        RunnerFleet seed = new FleetLoader().load(Path.of(SEED)).get(0);
        RunnerFleet back = new FleetLoader().load("imported", imported.out()).get(0);
        assertThat(back.getMetadata().getName()).isEqualTo(seed.getMetadata().getName());
        assertThat(back.getMetadata().getNamespace())
                .isEqualTo(seed.getMetadata().getNamespace());
        assertThat(back.getSpec()).isEqualTo(seed.getSpec());

        Cli.Result renamedSecret = Cli.run(
                "import", write("config.toml", configToml), "--replicas", "3", "--token-secret", "runner-credentials");
        RunnerFleetSpec spec =
                new FleetLoader().load("imported", renamedSecret.out()).get(0).getSpec();
        assertThat(spec.gitlab().tokenSecretRef()).isEqualTo(new SecretKeyRef("runner-credentials", "token"));
        assertThat(new RunnerFleetSpec(
                        new GitLabSpec(
                                spec.gitlab().url(),
                                seed.getSpec().gitlab().tokenSecretRef(),
                                spec.gitlab().tlsCa(),
                                spec.gitlab().tokenExpiryWarning(),
                                spec.gitlab().tokenRotation()),
                        spec.managers(),
                        spec.runner(),
                        spec.executor()))
                .isEqualTo(seed.getSpec());
    }

    /**
     * A realistic config.toml with every key README.md lists as supported: import warns about none of them, and the
     * imported fleet renders back the same {@code [[runners]]} entry (compared as TOML trees, so key order and
     * layout do not matter; render adds only {@code [runners.runner_fleet]}).
     */
    @Test
    void everySupportedKeyImportsWithoutAWarningAndRendersBackTheSameConfigToml() throws Exception {
        String input = Files.readString(Path.of(EVERY_KEY));
        JsonNode given = tomlTree(input);
        JsonNode kubernetes = given.path("runners").path(0).path("kubernetes");
        for (KubernetesKeys.Key key : KubernetesKeys.all()) {
            if (key.support() == KubernetesKeys.Support.SUPPORTED) {
                JsonNode value = key.toml().startsWith("volumes.")
                        ? kubernetes.path("volumes").path(key.toml().substring("volumes.".length()))
                        : kubernetes.path(key.toml());
                assertThat(value.isMissingNode())
                        .as("%s sets %s", EVERY_KEY, key.toml())
                        .isFalse();
            }
        }

        Cli.Result imported = Cli.run("import", EVERY_KEY);
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.err()).doesNotContain("kubernetes.");
        Cli.Result rendered = Cli.run("render", "-f", write("fleet.yaml", imported.out()));
        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        String configToml = documents(rendered.out()).stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap"))
                .findFirst()
                .orElseThrow()
                .path("data")
                .path("config.toml")
                .asText();
        ObjectNode back = (ObjectNode) tomlTree(configToml);
        // [runners.runner_fleet] gains the fleet's identity when rendered; the list of namespaces comes back as given.
        assertThat(back.path("runners").path(0).path("runner_fleet").path("namespace_overwrite_namespaces"))
                .isEqualTo(given.path("runners").path(0).path("runner_fleet").path("namespace_overwrite_namespaces"))
                .isNotEmpty();
        ((ObjectNode) back.path("runners").path(0)).remove("runner_fleet");
        ((ObjectNode) given.path("runners").path(0)).remove("runner_fleet");
        assertThat(back).isEqualTo(given);
    }

    private static JsonNode tomlTree(String toml) throws IOException {
        TomlParseResult parsed = Toml.parse(toml);
        assertThat(parsed.errors()).isEmpty();
        return new ObjectMapper().readTree(parsed.toJson());
    }

    /** gitlab-runner's pod_disruption_budget (common/config.go, off when unset) is spec.executor.disruption.protect. */
    @Test
    void podDisruptionBudgetImportsAsDisruptionProtectWithoutAWarning() {
        Cli.Result off = Cli.run("import", write("config.toml", MINIMAL + "    pod_disruption_budget = false\n"));
        assertThat(off.exitCode()).as(off.err()).isZero();
        assertThat(off.out()).contains("disruption:\n      protect: false");
        assertThat(off.err()).doesNotContain("pod_disruption_budget");

        Cli.Result on = Cli.run("import", write("config.toml", MINIMAL + "    pod_disruption_budget = true\n"));
        assertThat(on.exitCode()).as(on.err()).isZero();
        assertThat(on.out()).as("protected is the fleet's default").doesNotContain("disruption");
        assertThat(on.err()).doesNotContain("pod_disruption_budget");
    }

    @Test
    void anImportedNamespaceOverwriteKeepsTheExpressionAndSaysTheNamespacesMustBeListed() {
        Cli.Result result =
                Cli.run("import", write("config.toml", MINIMAL + "    namespace_overwrite_allowed = \"^ci-\"\n"));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("namespaceOverwrite:\n      pattern: ^ci-");
        assertThat(result.err())
                .contains("runners[0].kubernetes.namespace_overwrite_allowed: kept as "
                        + "spec.executor.namespaceOverwrite.pattern, but a job may only move its pod to a namespace "
                        + "listed in spec.executor.namespaceOverwrite.allowed");
    }

    @Test
    void eachRunnerEntryBecomesAFleetOfItsOwn() throws Exception {
        String two = MINIMAL + """
                [[runners]]
                  name = "small"
                  url = "https://gitlab.example.com/"
                  executor = "kubernetes"
                """;
        Cli.Result result = Cli.run("import", write("config.toml", two));
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> fleets = documents(result.out()).stream()
                .filter(d -> d.path("kind").asText().equals("RunnerFleet"))
                .toList();
        assertThat(fleets)
                .extracting(f -> f.path("metadata").path("name").asText())
                .containsExactly("small", "small-2");
        assertThat(fleets)
                .extracting(f -> f.path("metadata").path("namespace").asText())
                .containsExactly("ci", "default");
        assertThat(fleets.get(1).path("spec").path("runner").path("name").asText())
                .isEqualTo("small");
        assertThat(new FleetLoader().load("imported", result.out())).hasSize(2);

        Cli.Result named = Cli.run("import", write("config.toml", two), "--name", "one");
        assertThat(named.exitCode()).isEqualTo(2);
        assertThat(named.err()).contains("--name: names one fleet, but there are 2 [[runners]] entries");
    }

    @Test
    void theChartsSecretIsReferencedAndNotOverwritten() throws Exception {
        String values = write("values.yaml", """
                gitlabUrl: https://gitlab.example.com/
                image: registry.example.com/runner-fleet/runner-fleet:1.2.3
                runners:
                  secret: gitlab-runner-secret
                  config: |
                    [[runners]]
                      [runners.kubernetes]
                        image = "alpine:3.20"
                """);
        Cli.Result result = Cli.run("import", "--values", values, "--name", "ci");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> documents = documents(result.out());
        assertThat(documents).extracting(d -> d.path("kind").asText()).containsExactly("RunnerFleet");
        JsonNode spec = documents.get(0).path("spec");
        assertThat(spec.path("gitlab").path("tokenSecretRef").path("name").asText())
                .isEqualTo("gitlab-runner-secret");
        assertThat(spec.path("gitlab").path("tokenSecretRef").path("key").asText())
                .isEqualTo("runner-token");
        assertThat(spec.path("managers").path("image").asText())
                .isEqualTo("registry.example.com/runner-fleet/runner-fleet:1.2.3");
        assertThat(spec.path("managers").path("concurrent").asInt()).isEqualTo(10);
        assertThat(result.err())
                .contains("runners.secret: the fleet reads the token from the existing Secret "
                        + "default/gitlab-runner-secret, key runner-token; no Secret is printed for it");
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("malformed TOML", "[[runners]\nurl = ", null, "config.toml: line 1"),
                Arguments.of(
                        "namespace_overwrite_allowed that does not compile",
                        MINIMAL + "    namespace_overwrite_allowed = \"ci-(\"\n",
                        null,
                        "config.toml: runners[0].kubernetes.namespace_overwrite_allowed: is not a regular expression"),
                Arguments.of(
                        "a listed namespace that is no namespace name",
                        MINIMAL + "  [runners.runner_fleet]\n    namespace_overwrite_namespaces = [\"CI_Review\"]\n",
                        null,
                        "config.toml: runners[0].runner_fleet.namespace_overwrite_namespaces[0]: \"CI_Review\" is not a "
                                + "namespace name"),
                Arguments.of(
                        "another executor",
                        MINIMAL.replace("\"kubernetes\"", "\"docker\""),
                        null,
                        "config.toml: runners[0].executor: \"docker\" is not supported"),
                Arguments.of(
                        "missing url",
                        MINIMAL.replace("url = \"https://gitlab.example.com/\"", ""),
                        null,
                        "config.toml: runners[0].url: missing"),
                Arguments.of(
                        "url without scheme", MINIMAL.replace("https://", ""), null, "config.toml: runners[0].url: "),
                Arguments.of(
                        "wrong type, global",
                        MINIMAL.replace("concurrent = 4", "concurrent = \"4\""),
                        null,
                        "config.toml: concurrent: expected an integer"),
                Arguments.of(
                        "wrong type, runner",
                        MINIMAL.replace("executor", "limit = true\nexecutor"),
                        null,
                        "config.toml: runners[0].limit: expected an integer"),
                Arguments.of(
                        "environment not a list",
                        MINIMAL.replace("executor", "environment = \"A=1\"\nexecutor"),
                        null,
                        "config.toml: runners[0].environment: expected an array"),
                Arguments.of(
                        "concurrent below 1",
                        MINIMAL.replace("concurrent = 4", "concurrent = 0"),
                        null,
                        "config.toml: concurrent: "),
                Arguments.of(
                        "bad quantity",
                        MINIMAL.replace("namespace = \"ci\"", "cpu_limit = \"2 cores\""),
                        null,
                        "config.toml: runners[0].kubernetes: "),
                Arguments.of(
                        "bad DNS policy",
                        MINIMAL.replace("namespace = \"ci\"", "dns_policy = \"sometimes\""),
                        null,
                        "config.toml: runners[0]"),
                Arguments.of("no runners", "concurrent = 4\n", null, "config.toml: runners: no [[runners]] entry"),
                Arguments.of("malformed values", MINIMAL, "replicas: [1\n", "values.yaml: line "),
                Arguments.of(
                        "values: wrong type",
                        MINIMAL,
                        "replicas: three\n",
                        "values.yaml: replicas: expected an integer"),
                Arguments.of("values: negative replicas", MINIMAL, "replicas: -1\n", "values.yaml: replicas: "),
                Arguments.of(
                        "values: bad gitlabUrl",
                        MINIMAL,
                        "gitlabUrl: [x]\n",
                        "values.yaml: gitlabUrl: expected a string"),
                Arguments.of(
                        "values: bad toleration",
                        MINIMAL,
                        "tolerations: [{key: a, operator: Maybe}]\n",
                        "values.yaml: tolerations[0].operator: \"Maybe\" is not one of"),
                Arguments.of(
                        "values: a template only Helm fills in",
                        null,
                        """
                        gitlabUrl: https://gitlab.example.com/
                        runners:
                          config: |
                            [[runners]]
                              [runners.kubernetes]
                                image = "{{ .Values.image }}"
                        """,
                        "values.yaml: runners.config: line 3: a Helm template expression"),
                Arguments.of(
                        "values: no runners.config", null, "replicas: 2\n", "values.yaml: runners.config: missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputExitsTwoNamingTheFileAndTheField(String name, String config, String values, String expected) {
        List<String> args = new ArrayList<>(List.of("import"));
        if (config != null) {
            args.add(write("config.toml", config));
        }
        if (values != null) {
            args.addAll(List.of("--values", write("values.yaml", values)));
        }
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err())
                .contains(dir.toString() + "/" + expected.split(": ", 2)[0] + ": ")
                .contains(expected.split(": ", 2)[1])
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("SECRET");
        assertThat(result.err().lines().filter(l -> l.startsWith("error: "))).hasSize(1);
    }

    @Test
    void missingFilesAndArgumentsExitTwo() {
        Cli.Result missing = Cli.run("import", dir.resolve("nope.toml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.toml: (file): does not exist");

        Cli.Result help = Cli.run("import", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--values=VALUES.yaml", "--token-secret=NAME", "--replicas=N");

        Cli.Result nothing = Cli.run("import");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("Missing CONFIG.toml");
    }

    private String write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull()) {
                    documents.add(node);
                }
            }
        }
        return documents;
    }
}
