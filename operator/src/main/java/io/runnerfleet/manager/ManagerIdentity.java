package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Who this manager is: its pod (downward API {@code POD_NAME}, {@code POD_NAMESPACE}, {@code POD_UID}) and a stable
 * gitlab-runner-style system id ({@code s_} + 12 hex) derived from the pod name. The uid is empty outside a pod
 * (a manager run by hand or by a test).
 */
public record ManagerIdentity(String podName, String podNamespace, String systemId, String podUid) {

    public ManagerIdentity(String podName, String podNamespace, String systemId) {
        this(podName, podNamespace, systemId, "");
    }

    public static ManagerIdentity fromEnvironment(Map<String, String> environment, String fallbackNamespace) {
        String pod = environment.getOrDefault("POD_NAME", environment.getOrDefault("HOSTNAME", "runner-fleet-manager"));
        String namespace = environment.getOrDefault("POD_NAMESPACE", fallbackNamespace);
        return new ManagerIdentity(pod, namespace, systemIdFor(pod), environment.getOrDefault("POD_UID", ""));
    }

    static String systemIdFor(String podName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(podName.getBytes(StandardCharsets.UTF_8));
            return "s_" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /**
     * The owner reference for an object this manager creates in {@code namespace} that must not outlive its pod (its
     * Leases): the garbage collector deletes it with the pod, also when the manager was killed without its SIGTERM
     * clean-up (OOM, a lost node), instead of one dead Lease staying per crash. None when the uid is unknown or the
     * object is in another namespace (owners must share it). {@code blockOwnerDeletion} stays unset: setting it would
     * need {@code update} on {@code pods/finalizers}.
     */
    public List<OwnerReference> ownerReferencesIn(String namespace) {
        if (podUid.isEmpty() || !podNamespace.equals(namespace)) {
            return List.of();
        }
        return List.of(new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(podName)
                .withUid(podUid)
                .build());
    }
}
