package io.runnerfleet.jobpod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic names: {@code <fleet>-job-<jobId>}, so that creating the pod twice for one job hits 409 instead of
 * starting the job twice. Names longer than 63 (a label value and a hostname must fit) keep the job suffix and
 * replace the end of the fleet name with a hash of it.
 */
public final class JobPodNames {
    public static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 6;

    private JobPodNames() {}

    public static String podName(String fleetName, long jobId) {
        String suffix = "-job-" + jobId;
        String name = fleetName + suffix;
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        int keep = MAX_LENGTH - suffix.length() - HASH_LENGTH - 1;
        String prefix = fleetName.substring(0, Math.max(0, keep)).replaceAll("[-.]+$", "");
        return (prefix.isEmpty() ? "" : prefix + "-") + hash(fleetName) + suffix;
    }

    /** The Secret shares the pod's name: different kinds, and one name makes the pair easy to find. */
    public static String secretName(String fleetName, long jobId) {
        return podName(fleetName, jobId);
    }

    static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
