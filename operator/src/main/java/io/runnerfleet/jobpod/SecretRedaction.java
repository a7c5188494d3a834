package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.TreeMap;

/** The per-job Secret with its keys kept and every value replaced, for printing. */
public final class SecretRedaction {
    public static final String REDACTED = "<redacted>";

    private SecretRedaction() {}

    public static Secret redacted(Secret secret) {
        Map<String, String> keys = new TreeMap<>();
        if (secret.getStringData() != null) {
            secret.getStringData().keySet().forEach(k -> keys.put(k, REDACTED));
        }
        if (secret.getData() != null) {
            secret.getData().keySet().forEach(k -> keys.put(k, REDACTED));
        }
        return new SecretBuilder(secret).withData(null).withStringData(keys).build();
    }
}
