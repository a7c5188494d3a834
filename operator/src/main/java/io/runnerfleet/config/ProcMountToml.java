package io.runnerfleet.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * gitlab-runner reads a container security context's {@code proc_mount} in any case ({@code "unmasked"}), trimmed
 * and title-cased ({@code common/config.go}, {@code getProcMount}); the model holds Kubernetes' {@code Default} /
 * {@code Unmasked}. Where gitlab-runner logs any other value and drops it, here it stays as written so reading the
 * model fails naming the field (a value runner-fleet cannot honour).
 */
final class ProcMountToml {
    private static final String KEY = "proc_mount";

    private ProcMountToml() {}

    /** The security context table with its {@code proc_mount} title-cased (an empty one is unset); any other value as it is. */
    static Object normalized(Object securityContext) {
        if (!(securityContext instanceof Map<?, ?> table) || !(table.get(KEY) instanceof String value)) {
            return securityContext;
        }
        String trimmed = value.trim().toLowerCase(Locale.ROOT);
        Map<Object, Object> copy = new LinkedHashMap<>(table);
        if (trimmed.isEmpty()) {
            // gitlab-runner's "not set".
            copy.remove(KEY);
        } else {
            copy.put(KEY, Character.toUpperCase(trimmed.charAt(0)) + trimmed.substring(1));
        }
        return copy;
    }
}
