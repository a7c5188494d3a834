package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The fleet's token Secret, which the managers' {@code --token-file} is mounted from: read, and updated with the
 * rotated token. Only {@code get} and {@code update} on this one Secret ({@code ManagerPermissions.tokenSecretRule}).
 * No method logs or returns a token in a message; {@link Current#toString} hides it too.
 */
final class TokenSecret {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String key;

    TokenSecret(KubernetesClient client, String namespace, String name, String key) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.key = key;
    }

    /** The Secret as read, with the token under the key (null when the key is missing). */
    record Current(Secret secret, String token) {
        @Override
        public String toString() {
            return "TokenSecret.Current[resourceVersion=" + secret.getMetadata().getResourceVersion()
                    + ", token=redacted]";
        }
    }

    /** Throws {@link KubernetesClientException} when the API refuses; 404 when the Secret is gone. */
    Current read() {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw new KubernetesClientException("Secret " + where() + " not found", 404, null);
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(key);
        String token = encoded == null
                ? null
                : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
        return new Current(secret, token);
    }

    /**
     * Writes {@code token} under the key of the Secret as {@code current} read it: an update carrying its
     * resourceVersion, so a Secret changed in between is not overwritten (409; the caller reads it again).
     */
    void write(Current current, String token) {
        Secret copy = client.getKubernetesSerialization().clone(current.secret());
        Map<String, String> data = copy.getData() == null ? new HashMap<>() : new HashMap<>(copy.getData());
        data.put(key, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        copy.setData(data);
        if (copy.getStringData() != null) {
            copy.getStringData().remove(key);
        }
        client.secrets().inNamespace(namespace).resource(copy).update();
    }

    /** {@code namespace/name key k}, for messages. */
    String where() {
        return namespace + "/" + name + " key " + key;
    }
}
