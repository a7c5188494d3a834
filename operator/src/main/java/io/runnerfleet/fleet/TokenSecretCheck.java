package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.Secret;
import io.runnerfleet.api.v1alpha1.SecretKeyRef;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Whether the fleet's runner token Secret and key exist. Holds key names only, never a value, so it is safe to log
 * and to put into a message.
 */
public record TokenSecretCheck(State state, String namespace, String name, String key, List<String> keys) {

    public enum State {
        FOUND,
        SECRET_MISSING,
        KEY_MISSING
    }

    public TokenSecretCheck {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** @param secret the Secret as cached, or null when it does not exist */
    public static TokenSecretCheck of(Secret secret, String namespace, SecretKeyRef ref) {
        if (secret == null) {
            return new TokenSecretCheck(State.SECRET_MISSING, namespace, ref.name(), ref.key(), List.of());
        }
        TreeSet<String> keys = new TreeSet<>();
        keys.addAll(keysOf(secret.getData()));
        keys.addAll(keysOf(secret.getStringData()));
        State state = keys.contains(ref.key()) ? State.FOUND : State.KEY_MISSING;
        return new TokenSecretCheck(state, namespace, ref.name(), ref.key(), List.copyOf(keys));
    }

    public boolean found() {
        return state == State.FOUND;
    }

    private static java.util.Set<String> keysOf(Map<String, String> data) {
        return data == null ? java.util.Set.of() : data.keySet();
    }
}
