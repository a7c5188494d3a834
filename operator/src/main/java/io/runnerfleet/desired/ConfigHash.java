package io.runnerfleet.desired;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short, stable hash of the rendered config.toml; on the pod template it rolls the managers when config changes. */
public final class ConfigHash {
    private ConfigHash() {}

    public static String of(String configToml) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(configToml.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
