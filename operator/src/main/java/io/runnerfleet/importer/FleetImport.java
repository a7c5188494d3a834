package io.runnerfleet.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.runnerfleet.api.v1alpha1.GitLabSpec;
import io.runnerfleet.api.v1alpha1.ManagersSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.RunnerFleetSpec;
import io.runnerfleet.api.v1alpha1.RunnerSpec;
import io.runnerfleet.api.v1alpha1.SecretKeyRef;
import io.runnerfleet.api.v1alpha1.TokenRotationSpec;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.config.ConfigTomlReader;
import io.runnerfleet.config.KubernetesKeys;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.validation.FleetLoader;
import io.runnerfleet.validation.FleetSemantics;
import io.runnerfleet.yaml.Yaml;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * {@code runner-fleet import}: a gitlab-runner {@code config.toml} (and the Helm chart's values) as RunnerFleets,
 * one per {@code [[runners]]} entry, each with a token Secret holding a placeholder. The TOML is read by
 * {@link ConfigTomlReader}, so the key mapping is the one {@code render} writes. Pure apart from reading the
 * CRD schema; every key without a counterpart becomes a warning, and a token is never copied.
 */
public final class FleetImport {
    /** The value the printed token Secret holds until the user puts the real token there. */
    public static final String TOKEN_PLACEHOLDER = "glrt-REPLACE-ME";

    private static final String AUTOSCALER = "autoscaler";
    private static final Pattern RUNNER_KEY = Pattern.compile("^(runners\\[(\\d+)])\\.(.+)$");
    private static final Pattern RELEASE_NAMESPACE = Pattern.compile("\\{\\{-?\\s*\\.Release\\.Namespace\\s*-?}}");
    private static final Set<String> TOKEN_BOOKKEEPING = Set.of("id", "token_obtained_at", "token_expires_at");
    private static final Set<String> OTHER_EXECUTOR_TABLES =
            Set.of("docker", "machine", "custom", "ssh", "parallels", "virtualbox", "autoscaler", "instance");
    /** Fields printed even when they equal the default: they decide the fleet's capacity. */
    private static final Set<String> ALWAYS_PRINTED =
            Set.of("gitlab", "managers.replicas", "managers.concurrent", "managers.checkInterval");

    /** What the command line says beyond the files; null means "not given". */
    public record Options(String name, String namespace, String tokenSecret, Integer replicas) {
        public static Options none() {
            return new Options(null, null, null, null);
        }
    }

    /** One imported fleet and the Secret to print beside it (null when it reads an existing chart Secret). */
    public record ImportedFleet(RunnerFleet fleet, Secret tokenSecret, String yaml) {}

    /** The fleets, and the warnings (one line each, never a value of the input) for standard error. */
    public record Result(List<ImportedFleet> fleets, List<String> warnings) {}

    private final FleetLoader loader = new FleetLoader();

    /**
     * @param configSource the config.toml's name for messages, or null when only Helm values are given
     * @param configText   the config.toml's content, or null
     * @param values       the Helm values, or null
     */
    public Result run(String configSource, String configText, HelmValues values, Options options) {
        List<String> warnings = new ArrayList<>();
        String tomlSource;
        String tomlText;
        if (configText != null) {
            tomlSource = configSource;
            tomlText = configText;
            if (values != null && values.runnersConfig() != null) {
                warnings.add(values.source() + ": runners.config: " + configSource + " is given, so its [[runners]] "
                        + "entries are imported and runners.config is not used");
            }
        } else if (values != null && values.runnersConfig() != null) {
            tomlSource = values.source() + ": runners.config";
            tomlText = expandTemplate(tomlSource, values.runnersConfig(), options, warnings);
        } else {
            String source = values == null ? "(command line)" : values.source();
            throw new InvalidInputException(
                    source,
                    "runners.config",
                    "missing; give a config.toml, or set "
                            + "runners.config (the [[runners]] TOML) in the Helm values");
        }
        ConfigTomlReader.Result read = ConfigTomlReader.read(tomlSource, tomlText);
        ManagerConfig config = read.config();
        List<RunnerEntry> runners = config.runners();
        if (runners.isEmpty()) {
            throw new InvalidInputException(
                    tomlSource, "runners", "no [[runners]] entry; add one with url and " + "executor = \"kubernetes\"");
        }
        for (int i = 0; i < runners.size(); i++) {
            String executor = runners.get(i).executor();
            if (!RunnerEntry.KUBERNETES_EXECUTOR.equals(executor)) {
                throw new InvalidInputException(
                        tomlSource,
                        "runners[" + i + "].executor",
                        "\"" + executor
                                + "\" is not supported: runner-fleet runs every job as a Kubernetes pod; set executor = "
                                + "\"kubernetes\" and describe the pods in [runners.kubernetes], or remove this entry");
            }
        }
        if (runners.size() > 1) {
            rejectForSeveralFleets(tomlSource, "--name", options.name(), runners.size());
            rejectForSeveralFleets(tomlSource, "--token-secret", options.tokenSecret(), runners.size());
        }
        Globals globals = globals(tomlSource, configText != null, config, values, warnings);
        List<ImportedFleet> fleets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<String> ignoredKeys = new ArrayList<>(read.ignoredKeys());
        TomlArray tomlRunners = Toml.parse(tomlText).getArray("runners");
        for (int i = 0; i < runners.size(); i++) {
            WarmCapacitySpec warm = warmCapacity(tomlRunners, i, tomlSource, warnings);
            // The managers leave [runners.kubernetes.autoscaler] unused (the operator keeps the pause pods); import
            // maps it, so it is no "dropped" warning.
            ignoredKeys.remove("runners[" + i + "].kubernetes." + AUTOSCALER);
            fleets.add(fleet(tomlSource, i, runners.get(i), globals, values, options, names, warnings, warm));
        }
        warnings.addAll(ignored(tomlSource, ignoredKeys, fleets));
        if (values != null) {
            values.dropped().forEach(note -> warnings.add(values.source() + ": " + note));
            if (values.runnerTokenSet() || values.registrationTokenSet()) {
                warnings.add(
                        values.source() + ": " + (values.runnerTokenSet() ? "runnerToken" : "runnerRegistrationToken")
                                + ": never copied; " + tokenAdvice(fleets.get(0))
                                + (values.runnerTokenSet()
                                        ? ""
                                        : " (registration tokens are deprecated: create the "
                                                + "runner in GitLab to get an authentication token, glrt-...)"));
            }
        }
        return new Result(fleets, warnings);
    }

    private static void rejectForSeveralFleets(String source, String option, String value, int runners) {
        if (value != null) {
            throw new InvalidInputException(
                    source,
                    option,
                    "names one fleet, but there are " + runners
                            + " [[runners]] entries (one fleet each); leave it out to name each fleet after its runner");
        }
    }

    /** The manager-wide settings, from the Helm values where they set them (the chart writes them into config.toml). */
    private record Globals(
            int concurrent,
            int checkIntervalSeconds,
            int shutdownTimeoutSeconds,
            Integer replicas,
            String url,
            boolean urlFromValues) {}

    private static Globals globals(
            String tomlSource, boolean haveConfigToml, ManagerConfig config, HelmValues values, List<String> warnings) {
        int concurrent = config.concurrent();
        int checkInterval = config.checkIntervalSeconds();
        int shutdownTimeout = config.shutdownTimeoutSeconds();
        if (!ManagerConfig.DEFAULT_LISTEN_ADDRESS.equals(config.listenAddress())) {
            warnings.add(tomlSource + ": listen_address: managers always serve metrics on "
                    + ManagerConfig.DEFAULT_LISTEN_ADDRESS + "; dropped");
        }
        Integer replicas = null;
        String url = null;
        if (values != null) {
            replicas = values.replicas();
            url = values.gitlabUrl();
            if (!haveConfigToml) {
                // The chart writes these from its values; runners.config is only the [[runners]] template.
                concurrent = values.concurrent() == null ? HelmValues.CHART_DEFAULT_CONCURRENT : values.concurrent();
                checkInterval = values.checkInterval() == null ? checkInterval : values.checkInterval();
                shutdownTimeout = values.shutdownTimeout() == null ? shutdownTimeout : values.shutdownTimeout();
            } else {
                concurrent = preferValues(
                        values, "concurrent", values.concurrent(), tomlSource, "concurrent", concurrent, warnings);
                checkInterval = preferValues(
                        values,
                        "checkInterval",
                        values.checkInterval(),
                        tomlSource,
                        "check_interval",
                        checkInterval,
                        warnings);
                shutdownTimeout = preferValues(
                        values,
                        "shutdown_timeout",
                        values.shutdownTimeout(),
                        tomlSource,
                        "shutdown_timeout",
                        shutdownTimeout,
                        warnings);
            }
        }
        // gitlab-runner reads 0 or less as "the default" for both.
        return new Globals(
                concurrent,
                checkInterval <= 0 ? 3 : checkInterval,
                shutdownTimeout <= 0 ? 30 : shutdownTimeout,
                replicas,
                url,
                url != null);
    }

    private static int preferValues(
            HelmValues values,
            String valuesKey,
            Integer fromValues,
            String tomlSource,
            String tomlKey,
            int fromToml,
            List<String> warnings) {
        if (fromValues == null) {
            return fromToml;
        }
        if (fromValues != fromToml) {
            warnings.add(values.source() + ": " + valuesKey + ": " + fromValues + " differs from " + tomlKey + " = "
                    + fromToml + " in " + tomlSource + "; using " + fromValues + " (the chart writes config.toml's "
                    + "value from it)");
        }
        return fromValues;
    }

    private ImportedFleet fleet(
            String tomlSource,
            int index,
            RunnerEntry runner,
            Globals globals,
            HelmValues values,
            Options options,
            Set<String> names,
            List<String> warnings,
            WarmCapacitySpec warmCapacity) {
        String path = "runners[" + index + "]";
        String url = globals.url() != null ? globals.url() : runner.url();
        if (globals.url() != null && runner.url() != null && !runner.url().equals(globals.url())) {
            warnings.add(values.source() + ": gitlabUrl: differs from " + path + ".url in " + tomlSource
                    + "; using gitlabUrl");
        }
        if (url == null || url.isBlank()) {
            throw new InvalidInputException(
                    tomlSource,
                    path + ".url",
                    "missing; set url = "
                            + "\"https://gitlab.example.com/\" in the [[runners]] entry"
                            + (values == null ? "" : " or gitlabUrl in " + values.source()));
        }
        if (runner.name() == null && values != null && values.runnerName() != null) {
            runner = new RunnerEntry(
                    values.runnerName(),
                    runner.url(),
                    runner.executor(),
                    runner.limit(),
                    runner.requestConcurrency(),
                    runner.outputLimitKib(),
                    runner.environment(),
                    runner.kubernetes(),
                    runner.fleet(),
                    runner.unhealthy(),
                    runner.featureFlags(),
                    runner.sources(),
                    runner.tls(),
                    runner.cache(),
                    runner.tokenRotation());
        }
        if (runner.tls().caFile() != null || runner.tls().certFile() != null) {
            warnings.add(tomlSource + ": " + path + ".tls-ca-file/tls-cert-file: a file on the runner's machine; "
                    + "put the CA bundle into a Secret or ConfigMap and name it in spec.gitlab.tlsCa (client "
                    + "certificates are not carried over)");
        }
        var overwrite = runner.kubernetes().namespaceOverwriteOrNone();
        if (overwrite.pattern() != null && overwrite.allowed().isEmpty()) {
            // gitlab-runner's own credentials reach any namespace; the managers' reach only those the operator
            // grants RBAC in, so the expression alone lets no job move (jobpod.JobNamespace).
            warnings.add(tomlSource + ": " + path + ".kubernetes.namespace_overwrite_allowed: kept as "
                    + "spec.executor.namespaceOverwrite.pattern, but a job may only move its pod to a namespace listed "
                    + "in spec.executor.namespaceOverwrite.allowed (the operator grants the managers RBAC there "
                    + "only): list the namespaces the expression should allow");
        }
        String name = fleetName(tomlSource, path, runner, options, names, warnings);
        String namespace = firstOf(
                options.namespace(),
                runner.fleet().namespace(),
                runner.kubernetes().namespace(),
                "default");
        boolean chartSecret = options.tokenSecret() == null && values != null && values.runnersSecret() != null;
        SecretKeyRef tokenRef = chartSecret
                ? new SecretKeyRef(values.runnersSecret(), HelmValues.CHART_SECRET_TOKEN_KEY)
                : new SecretKeyRef(options.tokenSecret() == null ? name + "-token" : options.tokenSecret(), "token");
        if (chartSecret) {
            warnings.add(values.source() + ": runners.secret: the fleet reads the token from the existing Secret "
                    + namespace + "/" + tokenRef.name() + ", key " + tokenRef.key() + "; no Secret is printed for it");
        }
        ManagersSpec managers = new ManagersSpec(
                options.replicas() != null ? options.replicas() : globals.replicas(),
                globals.concurrent(),
                GoDurations.ofSeconds(globals.checkIntervalSeconds()),
                values == null ? null : values.managerImage(),
                values == null ? null : values.resources(),
                values == null ? null : values.nodeSelector(),
                values == null ? null : values.tolerations(),
                GoDurations.ofSeconds(globals.shutdownTimeoutSeconds()));
        RunnerSpec runnerSpec = new RunnerSpec(
                runner.name() == null || runner.name().equals(name) ? null : runner.name(),
                runner.limit(),
                runner.requestConcurrency(),
                runner.outputLimitKib(),
                runner.environment(),
                runner.unhealthy().requestsLimit(),
                runner.unhealthy().intervalSeconds() == null
                        ? null
                        : GoDurations.ofSeconds(runner.unhealthy().intervalSeconds()),
                runner.featureFlags().configured(),
                runner.sources().cloneUrl(),
                runner.sources().customBuildDir(),
                runner.sources().preGetSourcesScript(),
                runner.sources().postGetSourcesScript(),
                runner.sources().preBuildScript(),
                runner.sources().postBuildScript(),
                ImportedCache.of(runner.cache(), name, tomlSource + ": " + path + ".cache", warnings));
        RunnerFleet fleet = new RunnerFleet();
        fleet.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        // A config.toml that render wrote carries the fleet's rotation in [runners.runner_fleet]; gitlab-runner's
        // never.
        TokenRotationSpec rotation = runner.tokenRotation() == null
                ? null
                : new TokenRotationSpec(
                        GoDurations.ofSeconds(runner.tokenRotation().before().toSeconds()));
        fleet.setSpec(new RunnerFleetSpec(
                new GitLabSpec(url, tokenRef, null, null, rotation),
                managers,
                runnerSpec,
                runner.kubernetes(),
                null,
                warmCapacity));
        String yaml = Yaml.write(minimal(fleet));
        check(yaml, tomlSource, path, values, options, globals.urlFromValues());
        Secret secret = chartSecret
                ? null
                : new SecretBuilder()
                        .withMetadata(new ObjectMetaBuilder()
                                .withName(tokenRef.name())
                                .withNamespace(namespace)
                                .build())
                        .withType("Opaque")
                        .withStringData(Map.of(tokenRef.key(), TOKEN_PLACEHOLDER))
                        .build();
        return new ImportedFleet(fleet, secret, yaml);
    }

    private static String fleetName(
            String source, String path, RunnerEntry runner, Options options, Set<String> names, List<String> warnings) {
        String name;
        if (options.name() != null) {
            name = options.name();
        } else if (runner.fleet().name() != null) {
            name = runner.fleet().name();
        } else {
            name = sanitise(runner.name());
            if (runner.name() != null && !runner.name().equals(name)) {
                warnings.add(source + ": " + path + ".name: the fleet is named \"" + name + "\" (a Kubernetes "
                        + "name); the runner keeps its name in spec.runner.name (use --name to choose another)");
            }
        }
        String unique = name;
        for (int n = 2; !names.add(unique); n++) {
            String suffix = "-" + n;
            unique = trimDashes(name.substring(
                            0, Math.min(name.length(), FleetSemantics.MAX_NAME_LENGTH - suffix.length())))
                    + suffix;
        }
        return unique;
    }

    /**
     * A runner description as a fleet name: a DNS-1123 label short enough for the names derived from it
     * ({@link FleetSemantics#MAX_NAME_LENGTH}), starting with a letter. {@code runner} when nothing is left.
     */
    public static String sanitise(String description) {
        if (description == null) {
            return "runner";
        }
        String name = description
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceFirst("^[^a-z]+", "");
        name = trimDashes(name.substring(0, Math.min(name.length(), FleetSemantics.MAX_NAME_LENGTH)));
        return name.isEmpty() ? "runner" : name;
    }

    private static String trimDashes(String name) {
        return name.replaceAll("^-+|-+$", "");
    }

    /**
     * The fleet as a tree without the fields that only repeat a default, so the output reads like a hand-written
     * fleet. Only the fields of managers, runner and executor are compared, each as a whole: a value that differs
     * in part (say, resources) is printed complete, because the API server defaults it as a whole.
     */
    private static JsonNode minimal(RunnerFleet fleet) {
        ObjectNode tree = Yaml.WRITER.valueToTree(fleet);
        ObjectNode spec = (ObjectNode) tree.get("spec");
        JsonNode defaults =
                Yaml.WRITER.valueToTree(new RunnerFleetSpec(fleet.getSpec().gitlab(), null, null, null));
        for (String section : List.of("managers", "runner", "executor")) {
            if (spec.get(section) instanceof ObjectNode fields) {
                for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!ALWAYS_PRINTED.contains(section + "." + field.getKey())
                            && field.getValue().equals(defaults.path(section).get(field.getKey()))) {
                        it.remove();
                    }
                }
                if (fields.isEmpty()) {
                    spec.remove(section);
                }
            }
        }
        return tree;
    }

    /** Loads the printed fleet as the API server would; a problem is reported against the input it came from. */
    private void check(
            String yaml, String tomlSource, String path, HelmValues values, Options options, boolean urlFromValues) {
        try {
            loader.load("(imported fleet)", yaml);
        } catch (InvalidInputException e) {
            List<FieldProblem> problems = new ArrayList<>();
            String source = tomlSource;
            for (FieldProblem problem : e.problems()) {
                if (problem.path().equals("spec.runner.cache.type")) {
                    continue; // gcs or azure: kept on purpose, with a warning (ImportedCache); render refuses it
                }
                String[] origin = origin(problem.path(), tomlSource, path, values, options, urlFromValues);
                source = origin[0];
                problems.add(new FieldProblem(origin[1], problem.message() + " (imported as " + problem.path() + ")"));
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException(source, problems);
            }
        }
    }

    /** The input file and key a fleet field was imported from: {source, field}. */
    private static String[] origin(
            String field, String tomlSource, String path, HelmValues values, Options options, boolean urlFromValues) {
        String valuesSource = values == null ? tomlSource : values.source();
        Map<String, String[]> exact = Map.of(
                "spec.gitlab.url",
                        urlFromValues
                                ? new String[] {valuesSource, "gitlabUrl"}
                                : new String[] {tomlSource, path + ".url"},
                "spec.managers.concurrent",
                        values != null && values.concurrent() != null
                                ? new String[] {valuesSource, "concurrent"}
                                : new String[] {tomlSource, "concurrent"},
                "spec.managers.replicas",
                        options.replicas() != null
                                ? new String[] {"(command line)", "--replicas"}
                                : new String[] {valuesSource, "replicas"},
                "metadata.name",
                        options.name() != null
                                ? new String[] {"(command line)", "--name"}
                                : new String[] {tomlSource, path + ".name"},
                "metadata.namespace",
                        options.namespace() != null
                                ? new String[] {"(command line)", "--namespace"}
                                : new String[] {tomlSource, path + ".kubernetes.namespace"});
        if (exact.containsKey(field)) {
            return exact.get(field);
        }
        if (field.startsWith("spec.gitlab.tokenSecretRef")) {
            return options.tokenSecret() != null
                    ? new String[] {"(command line)", "--token-secret"}
                    : new String[] {valuesSource, "runners.secret"};
        }
        if (field.startsWith("spec.managers.")) {
            String key = field.substring("spec.managers.".length());
            return new String[] {valuesSource, key.startsWith("shutdownTimeout") ? "shutdown_timeout" : key};
        }
        if (field.startsWith("spec.runner.")) {
            return new String[] {tomlSource, path + "." + snake(field.substring("spec.runner.".length()))};
        }
        if (field.startsWith("spec.executor")) {
            return new String[] {tomlSource, path + ".kubernetes"};
        }
        return new String[] {tomlSource, path};
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    /** {@code runners[i].kubernetes.autoscaler} as {@code spec.warmCapacity}; null without one (or without policy). */
    private static WarmCapacitySpec warmCapacity(TomlArray runners, int i, String source, List<String> warnings) {
        TomlTable runner = runners == null || i >= runners.size() ? null : runners.getTable(i);
        TomlTable kubernetes = runner == null || !runner.isTable("kubernetes") ? null : runner.getTable("kubernetes");
        if (kubernetes == null || !kubernetes.isTable(AUTOSCALER)) {
            return null;
        }
        return ImportedWarmCapacity.of(
                kubernetes.getTable(AUTOSCALER), source, "runners[" + i + "].kubernetes." + AUTOSCALER, warnings);
    }

    /** The keys ConfigTomlReader left unused, each with what happens to it. */
    private static List<String> ignored(String tomlSource, List<String> keys, List<ImportedFleet> fleets) {
        List<String> warnings = new ArrayList<>();
        for (String key : keys) {
            Matcher runnerKey = RUNNER_KEY.matcher(key);
            String message = "not supported by runner-fleet; dropped";
            if (runnerKey.matches()) {
                ImportedFleet fleet = fleets.get(Integer.parseInt(runnerKey.group(2)));
                String rest = runnerKey.group(3);
                if (rest.equals("token")) {
                    message = "never copied; " + tokenAdvice(fleet);
                } else if (ImportedCache.isCredential(rest)) {
                    message = "never copied; " + ImportedCache.credentialsAdvice(fleet.fleet());
                } else if (TOKEN_BOOKKEEPING.contains(rest)) {
                    message = "GitLab's bookkeeping of the runner's token; not needed by runner-fleet; dropped";
                } else if (OTHER_EXECUTOR_TABLES.contains(rest)) {
                    message = "settings of the " + rest + " executor; runner-fleet runs every job as a Kubernetes "
                            + "pod; dropped";
                } else if (rest.startsWith("kubernetes.")) {
                    message = KubernetesKeys.dropReason(rest.substring("kubernetes.".length()));
                }
            }
            warnings.add(tomlSource + ": " + key + ": " + message);
        }
        return warnings;
    }

    private static String tokenAdvice(ImportedFleet fleet) {
        SecretKeyRef ref = fleet.fleet().getSpec().gitlab().tokenSecretRef();
        return "put the runner authentication token into Secret "
                + fleet.fleet().getMetadata().getNamespace() + "/"
                + ref.name() + ", key " + ref.key()
                + (fleet.tokenSecret() == null ? "" : " (printed with a " + "placeholder)");
    }

    /**
     * runners.config is a Helm template. {@code {{ .Release.Namespace }}} becomes the fleet's namespace (--namespace,
     * else {@code default}); any other template expression is bad input, because only Helm can render it.
     */
    private static String expandTemplate(String source, String text, Options options, List<String> warnings) {
        String namespace = options.namespace() == null ? "default" : options.namespace();
        Matcher matcher = RELEASE_NAMESPACE.matcher(text);
        String expanded = text;
        if (matcher.find()) {
            expanded = matcher.replaceAll(Matcher.quoteReplacement(namespace));
            warnings.add(source + ": {{ .Release.Namespace }}: taken as \"" + namespace + "\""
                    + (options.namespace() == null ? " (pass --namespace to choose the release's namespace)" : ""));
        }
        String[] lines = expanded.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("{{")) {
                throw new InvalidInputException(
                        source,
                        "line " + (i + 1),
                        "a Helm template expression that only "
                                + "Helm can fill in; run helm template and import the config.toml it renders, or replace "
                                + "the expression with its value");
            }
        }
        return expanded;
    }

    private static String firstOf(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
