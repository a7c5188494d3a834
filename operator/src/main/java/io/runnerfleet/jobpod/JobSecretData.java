package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the per-job Secret's entries while the containers are built, and hands out references to them, so a
 * secret value only ever lives in the Secret. Keys are {@code <container>.<NAME>}: Secret keys allow
 * {@code [-._a-zA-Z0-9]}, which every container and variable name fits.
 */
final class JobSecretData {
    static final String JOB_TOKEN_KEY = "job-token";
    static final String FILES_PREFIX = "file.";

    private final String secretName;
    private final Map<String, String> data = new TreeMap<>();

    JobSecretData(String secretName) {
        this.secretName = secretName;
    }

    EnvVar env(String envName, String key, String value) {
        data.put(key, value);
        return new EnvVarBuilder()
                .withName(envName)
                .withNewValueFrom()
                .withNewSecretKeyRef(key, secretName, null)
                .endValueFrom()
                .build();
    }

    /** A file variable: the Secret holds the content, the volume projects it to a file named after the variable. */
    void file(String variable, String content) {
        data.put(FILES_PREFIX + variable, content);
    }

    List<KeyToPath> fileItems() {
        List<KeyToPath> items = new ArrayList<>();
        data.keySet().stream()
                .filter(k -> k.startsWith(FILES_PREFIX))
                .forEach(k -> items.add(new KeyToPathBuilder()
                        .withKey(k)
                        .withPath(k.substring(FILES_PREFIX.length()))
                        .build()));
        return items;
    }

    Map<String, String> data() {
        return data;
    }
}
