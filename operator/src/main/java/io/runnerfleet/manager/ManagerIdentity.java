package io.runnerfleet.manager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Who this manager is: its pod (downward API {@code POD_NAME}, {@code POD_NAMESPACE}) and a stable
 * gitlab-runner-style system id ({@code s_} + 12 hex) derived from the pod name.
 */
public record ManagerIdentity(String podName, String podNamespace, String systemId) {

    public static ManagerIdentity fromEnvironment(Map<String, String> environment, String fallbackNamespace) {
        String pod = environment.getOrDefault("POD_NAME", environment.getOrDefault("HOSTNAME", "runner-fleet-manager"));
        String namespace = environment.getOrDefault("POD_NAMESPACE", fallbackNamespace);
        return new ManagerIdentity(pod, namespace, systemIdFor(pod));
    }

    static String systemIdFor(String podName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(podName.getBytes(StandardCharsets.UTF_8));
            return "s_" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
