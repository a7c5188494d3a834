package io.runnerfleet.desired;

import io.runnerfleet.base.BuildInfo;

/**
 * What a fleet does not say and the operator decides: the manager image, which defaults to the operator's own
 * image (one image, several subcommands).
 */
public record OperatorDefaults(String managerImage) {
    public static final String IMAGE_REPOSITORY = "registry.example.com/runner-fleet/runner-fleet";

    public static OperatorDefaults forThisBuild() {
        return new OperatorDefaults(IMAGE_REPOSITORY + ":" + BuildInfo.version());
    }
}
