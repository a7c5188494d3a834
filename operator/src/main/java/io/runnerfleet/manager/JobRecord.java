package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The job as GitLab handed it out, kept in the Job Pod's own Secret: whichever manager carries the job on (after
 * the first one died) reads its token, masked values and settings from here. A Secret, because the payload holds
 * the job token and secret variables.
 */
public final class JobRecord {
    public static final String PAYLOAD_KEY = "runner-fleet.job.json";

    private JobRecord() {}

    public static Secret attach(Secret secret, String payloadJson) {
        return new SecretBuilder(secret)
                .addToStringData(PAYLOAD_KEY, payloadJson)
                .build();
    }

    public static Optional<String> payload(Secret secret) {
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(PAYLOAD_KEY)) {
            return Optional.of(secret.getStringData().get(PAYLOAD_KEY));
        }
        if (secret.getData() != null && secret.getData().containsKey(PAYLOAD_KEY)) {
            return Optional.of(
                    new String(Base64.getDecoder().decode(secret.getData().get(PAYLOAD_KEY)), StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }
}
