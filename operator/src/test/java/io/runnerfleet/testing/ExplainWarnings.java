package io.runnerfleet.testing;

import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.explain.ExplainReport;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/** The warnings {@code runner-fleet explain -f FLEET.yaml} prints, as the Diagnostics condition should say them. */
public final class ExplainWarnings {
    /** A fleet whose Job Pods use cluster DNS while their images come from an external registry. */
    public static final Path MISCONFIGURED_FLEET = Path.of("src/test/resources/explain/mistakes-fleet.yaml");

    private static final String MARK = "  ! ";

    private ExplainWarnings() {}

    /** The warning lines of explain's report without a job, joined as one condition message. */
    public static String of(RunnerFleet fleet) {
        return ExplainReport.of(fleet, Optional.empty())
                .lines()
                .filter(line -> line.startsWith(MARK))
                .map(line -> line.substring(MARK.length()))
                .collect(Collectors.joining(" "));
    }
}
