package io.runnerfleet.jobpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's Secret with its keys kept and every value replaced, for printing. A registry Secret's
 * {@code .dockerconfigjson} stays a docker config (the API server accepts nothing else for its type), with the
 * registries' names and every credential field replaced.
 */
public final class SecretRedaction {
    public static final String REDACTED = "<redacted>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretRedaction() {}

    public static Secret redacted(Secret secret) {
        Map<String, String> keys = new TreeMap<>();
        if (secret.getStringData() != null) {
            secret.getStringData().keySet().forEach(k -> keys.put(k, REDACTED));
        }
        if (secret.getData() != null) {
            secret.getData().keySet().forEach(k -> keys.put(k, REDACTED));
        }
        if (RegistryCredentials.SECRET_TYPE.equals(secret.getType())
                && keys.containsKey(RegistryCredentials.SECRET_KEY)
                && secret.getStringData() != null) {
            keys.put(
                    RegistryCredentials.SECRET_KEY,
                    redactedDockerConfig(secret.getStringData().get(RegistryCredentials.SECRET_KEY)));
        }
        return new SecretBuilder(secret).withData(null).withStringData(keys).build();
    }

    /** {@code {"auths": {server: {field: "<redacted>", ...}}}}: which registries, never how to log in. */
    private static String redactedDockerConfig(String config) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auths = root.putObject("auths");
        try {
            JsonNode parsed = JSON.readTree(config == null ? "" : config);
            if (parsed != null) {
                parsed.path("auths").fields().forEachRemaining(e -> {
                    ObjectNode entry = auths.putObject(e.getKey());
                    List<String> fields = new ArrayList<>();
                    e.getValue().fieldNames().forEachRemaining(fields::add);
                    fields.forEach(f -> entry.put(f, REDACTED));
                });
            }
            return JSON.writeValueAsString(root);
        } catch (java.io.IOException e) {
            return "{\"auths\":{}}";
        }
    }
}
