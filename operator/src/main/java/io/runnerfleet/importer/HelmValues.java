package io.runnerfleet.importer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.runnerfleet.api.v1alpha1.ManagerResources;
import io.runnerfleet.api.v1alpha1.Toleration;
import io.runnerfleet.base.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of the gitlab-runner Helm chart's {@code values.yaml} that have a RunnerFleet counterpart, read once,
 * at the edge. Every other non-empty key is listed in {@link #dropped()} with what happens to it. Token values
 * are never kept: only whether one was there.
 *
 * @param runnersConfig the {@code runners.config} TOML template, or null
 * @param runnerName    {@code runners.name}, the runner's description when runners.config names none
 * @param managerImage  {@code image} when it names a runner-fleet image; gitlab-runner's own image is dropped
 */
public record HelmValues(
        String source,
        Integer replicas,
        String gitlabUrl,
        Integer concurrent,
        Integer checkInterval,
        Integer shutdownTimeout,
        String runnersConfig,
        String runnersSecret,
        String runnerName,
        ManagerResources resources,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        String managerImage,
        boolean runnerTokenSet,
        boolean registrationTokenSet,
        List<Note> dropped) {

    /** The key in the chart's Secret ({@code runners.secret}) that holds the runner authentication token. */
    public static final String CHART_SECRET_TOKEN_KEY = "runner-token";
    /** The chart's {@code concurrent} when values.yaml does not set it. */
    public static final int CHART_DEFAULT_CONCURRENT = 10;

    private static final YAMLMapper READER = new YAMLMapper();
    private static final Set<String> TOLERATION_FIELDS = Set.of("key", "operator", "value", "effect");
    private static final Map<String, String> NOTES = Map.of(
            "rbac", "runner-fleet gives each fleet's managers least-privilege RBAC of their own; dropped",
            "serviceAccount", "each fleet's managers get a ServiceAccount of their own (<name>-manager); dropped",
            "metrics",
                    "managers always serve gitlab-runner's metrics on :9252 (the runner-fleet chart's "
                            + "metrics.podMonitor scrapes them); dropped",
            "unregisterRunners",
                    "runner-fleet never registers or unregisters runners: create the runner in "
                            + "GitLab and put its authentication token into the fleet's Secret; dropped",
            "terminationGracePeriodSeconds",
                    "Job Pods outlive a stopping manager (another manager adopts "
                            + "them); managers.shutdownTimeout bounds the hand-over; dropped");

    /** A key that was not carried over, and what happened to it. */
    public record Note(String key, String message) {
        @Override
        public String toString() {
            return key + ": " + message;
        }
    }

    public HelmValues {
        dropped = List.copyOf(dropped);
    }

    public static HelmValues read(String source, String text) {
        JsonNode parsed;
        try {
            parsed = READER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String at = location == null
                    ? "(document)"
                    : "line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw new InvalidInputException(source, at, "malformed YAML: " + e.getOriginalMessage());
        }
        JsonNode root =
                parsed == null || parsed.isNull() || parsed.isMissingNode() ? READER.createObjectNode() : parsed;
        if (!root.isObject()) {
            throw new InvalidInputException(
                    source,
                    "(document)",
                    "expected the gitlab-runner chart's values "
                            + "(a mapping such as gitlabUrl: https://gitlab.example.com/)");
        }
        List<Note> dropped = new ArrayList<>();
        String runnersConfig = null;
        String runnersSecret = null;
        String runnerName = null;
        JsonNode runners = root.path("runners");
        if (!runners.isMissingNode() && !runners.isNull()) {
            if (!runners.isObject()) {
                throw new InvalidInputException(
                        source,
                        "runners",
                        "expected a mapping with config: (the " + "[[runners]] TOML) and optionally secret:");
            }
            runnersConfig = text(source, runners, "config", "runners.config");
            runnersSecret = text(source, runners, "secret", "runners.secret");
            runnerName = text(source, runners, "name", "runners.name");
            runners.fieldNames().forEachRemaining(key -> {
                if (!Set.of("config", "secret", "name").contains(key) && !isEmpty(runners.get(key))) {
                    dropped.add(new Note("runners." + key, "not supported by runner-fleet; dropped"));
                }
            });
        }
        String image = image(source, root.path("image"));
        String managerImage = image != null && isRunnerFleetImage(image) ? image : null;
        if (image != null && managerImage == null) {
            dropped.add(new Note(
                    "image",
                    "\"" + image + "\" is gitlab-runner's own image, not a runner-fleet "
                            + "manager image; left out, so managers use the operator's image (set spec.managers.image to "
                            + "override)"));
        }
        Set<String> mapped = Set.of(
                "replicas",
                "gitlabUrl",
                "concurrent",
                "checkInterval",
                "shutdown_timeout",
                "runners",
                "resources",
                "nodeSelector",
                "tolerations",
                "image",
                "runnerToken",
                "runnerRegistrationToken");
        root.fieldNames().forEachRemaining(key -> {
            if (!mapped.contains(key) && !isEmpty(root.get(key))) {
                dropped.add(new Note(key, NOTES.getOrDefault(key, "not supported by runner-fleet; dropped")));
            }
        });
        return new HelmValues(
                source,
                integer(source, root, "replicas"),
                text(source, root, "gitlabUrl", "gitlabUrl"),
                integer(source, root, "concurrent"),
                integer(source, root, "checkInterval"),
                integer(source, root, "shutdown_timeout"),
                runnersConfig,
                runnersSecret,
                runnerName,
                resources(source, root.path("resources"), dropped),
                stringMap(source, root.path("nodeSelector"), "nodeSelector"),
                tolerations(source, root.path("tolerations"), dropped),
                managerImage,
                !isEmpty(root.path("runnerToken")),
                !isEmpty(root.path("runnerRegistrationToken")),
                dropped);
    }

    /** A runner-fleet image: its repository's last path segment is {@code runner-fleet}. */
    static boolean isRunnerFleetImage(String image) {
        String repository = image.split("@", 2)[0];
        int slash = repository.lastIndexOf('/');
        int colon = repository.lastIndexOf(':');
        if (colon > slash) {
            repository = repository.substring(0, colon);
        }
        return repository.substring(slash + 1).equals("runner-fleet");
    }

    /** {@code image:} as a string, or the chart's {@code {registry, image, tag}} mapping joined into one. */
    private static String image(String source, JsonNode node) {
        if (isEmpty(node)) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (!node.isObject() || !node.path("image").isTextual()) {
            throw new InvalidInputException(
                    source, "image", "expected an image reference or a mapping with " + "registry, image and tag");
        }
        String registry = node.path("registry").asText("");
        String tag = node.path("tag").asText("");
        return (registry.isEmpty() ? "" : registry + "/")
                + node.path("image").asText()
                + (tag.isEmpty() ? "" : ":" + tag);
    }

    private static ManagerResources resources(String source, JsonNode node, List<Note> dropped) {
        if (isEmpty(node)) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidInputException(
                    source,
                    "resources",
                    "expected a mapping with limits and requests, "
                            + "e.g. {limits: {memory: 512Mi}, requests: {cpu: 100m}}");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!key.equals("limits") && !key.equals("requests") && !isEmpty(node.get(key))) {
                dropped.add(new Note("resources." + key, "not supported by runner-fleet; dropped"));
            }
        });
        Map<String, String> limits = stringMap(source, node.path("limits"), "resources.limits");
        Map<String, String> requests = stringMap(source, node.path("requests"), "resources.requests");
        return limits == null && requests == null
                ? null
                : new ManagerResources(limits == null ? Map.of() : limits, requests == null ? Map.of() : requests);
    }

    private static List<Toleration> tolerations(String source, JsonNode node, List<Note> dropped) {
        if (isEmpty(node)) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidInputException(source, "tolerations", "expected a list of Kubernetes tolerations");
        }
        List<Toleration> tolerations = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "tolerations[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                throw new InvalidInputException(
                        source,
                        path,
                        "expected a toleration such as {key: dedicated, "
                                + "operator: Equal, value: ci, effect: NoSchedule}");
            }
            item.fieldNames().forEachRemaining(key -> {
                if (!TOLERATION_FIELDS.contains(key)) {
                    dropped.add(new Note(path + "." + key, "not supported by runner-fleet's tolerations; dropped"));
                }
            });
            tolerations.add(new Toleration(
                    text(source, item, "key", path + ".key"),
                    constant(source, item, "operator", path, Toleration.TolerationOperator.class),
                    text(source, item, "value", path + ".value"),
                    constant(source, item, "effect", path, Toleration.TaintEffect.class)));
        }
        return tolerations;
    }

    private static <E extends Enum<E>> E constant(
            String source, JsonNode table, String key, String path, Class<E> type) {
        String value = text(source, table, key, path + "." + key);
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    source,
                    path + "." + key,
                    "\"" + value + "\" is not one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static Map<String, String> stringMap(String source, JsonNode node, String path) {
        if (isEmpty(node)) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidInputException(source, path, "expected a mapping of names to values");
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw new InvalidInputException(source, path + "." + entry.getKey(), "expected a string");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        });
        return map;
    }

    private static Integer integer(String source, JsonNode table, String key) {
        JsonNode node = table.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new InvalidInputException(source, key, "expected an integer, got " + node);
        }
        return node.intValue();
    }

    private static String text(String source, JsonNode table, String key, String path) {
        JsonNode node = table.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(
                    source,
                    path,
                    "expected a string, got " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        return node.asText();
    }

    private static boolean isEmpty(JsonNode node) {
        return node == null
                || node.isMissingNode()
                || node.isNull()
                || (node.isContainerNode() && node.isEmpty())
                || (node.isTextual() && node.asText().isEmpty());
    }
}
