package io.runnerfleet.gitlab.client;

import java.util.Locale;

/** The {@code state} a runner reports in {@code PUT /api/v4/jobs/:id}. */
public enum JobState {
    RUNNING,
    SUCCESS,
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
