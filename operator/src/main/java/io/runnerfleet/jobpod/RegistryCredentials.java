package io.runnerfleet.jobpod;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.gitlab.job.JobCredentials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registries a job's pods may pull from with credentials, as gitlab-runner's kubernetes executor gathers them
 * ({@code executors/kubernetes/kubernetes.go} {@code setupCredentials}, {@code helpers/docker/auth/auth.go}
 * {@code AllConfigs}): first the {@code auths} of the {@code DOCKER_AUTH_CONFIG} variable, then the job's
 * {@code credentials} of type {@code registry}; per registry the first source wins.
 *
 * <p>Deliberate differences: the Secret is {@code kubernetes.io/dockerconfigjson} (today's format) where
 * gitlab-runner writes the legacy {@code kubernetes.io/dockercfg}; the kubelet reads both the same way. The runner
 * host's {@code ~/.docker/config.json} is not a source (a manager's home holds nothing), and credential stores
 * and helpers in {@code DOCKER_AUTH_CONFIG} are ignored (they run programs on the runner host). A
 * {@code DOCKER_AUTH_CONFIG} that is not JSON is ignored, as gitlab-runner ignores it with a warning.
 */
final class RegistryCredentials {
    static final String SECRET_TYPE = "kubernetes.io/dockerconfigjson";
    static final String SECRET_KEY = ".dockerconfigjson";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One registry: where, as the source wrote it, and its credentials. */
    record Entry(String server, String username, String password, String auth) {
        @Override
        public String toString() {
            return "Entry[" + server + "]";
        }
    }

    private RegistryCredentials() {}

    static List<Entry> of(Optional<String> dockerAuthConfig, List<JobCredentials> credentials) {
        List<Entry> entries = new ArrayList<>();
        dockerAuthConfig.ifPresent(config -> fromDockerAuthConfig(config).forEach(e -> add(entries, e)));
        credentials.stream()
                .filter(JobCredentials::isRegistry)
                .filter(c -> !c.url().isBlank())
                .forEach(c -> add(entries, new Entry(c.url(), c.username(), c.password(), null)));
        return List.copyOf(entries);
    }

    /** The {@code .dockerconfigjson} content: {@code {"auths": {server: {username, password, auth}}}}. */
    static String dockerConfigJson(List<Entry> entries) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auths = root.putObject("auths");
        for (Entry e : entries) {
            ObjectNode auth = auths.putObject(e.server());
            if (e.username() != null) {
                auth.put("username", e.username());
            }
            if (e.password() != null) {
                auth.put("password", e.password());
            }
            auth.put(
                    "auth",
                    e.auth() != null
                            ? e.auth()
                            : Base64.getEncoder()
                                    .encodeToString(
                                            (e.username() + ":" + e.password()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Entry> fromDockerAuthConfig(String config) {
        JsonNode root;
        try {
            root = JSON.readTree(config);
        } catch (JsonProcessingException e) {
            return List.of();
        }
        if (root == null || !root.path("auths").isObject()) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        // docker's configfile orders them by server (auth.go withStableOrder).
        List<String> servers = new ArrayList<>();
        root.path("auths").fieldNames().forEachRemaining(servers::add);
        servers.sort(null);
        for (String server : servers) {
            JsonNode node = root.path("auths").path(server);
            String auth = text(node, "auth");
            String username = text(node, "username");
            String password = text(node, "password");
            if (auth == null && username == null && password == null) {
                continue;
            }
            entries.add(new Entry(server, username, password, auth));
        }
        return entries;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
    }

    private static void add(List<Entry> entries, Entry entry) {
        String path = registryPath(entry.server());
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            if (registryPath(it.next().server()).equals(path)) {
                return;
            }
        }
        entries.add(entry);
    }

    /** gitlab-runner's {@code convertToRegistryPath}: what two sources are compared by. */
    static String registryPath(String server) {
        String lower = server.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            String host =
                    server.replaceFirst("(?i)^https?://", "").split("/", 2)[0].toLowerCase(Locale.ROOT);
            return host.equals("index.docker.io") ? "docker.io" : host;
        }
        String path = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        int tag = path.lastIndexOf(':');
        int slash = path.lastIndexOf('/');
        if (slash != -1 && tag > slash) {
            path = path.substring(0, tag);
        }
        String[] parts = path.split("/", 2);
        return parts[0].toLowerCase(Locale.ROOT) + (parts.length > 1 ? "/" + parts[1] : "");
    }

    static Map<String, String> secretData(List<Entry> entries) {
        return Map.of(SECRET_KEY, dockerConfigJson(entries));
    }
}
