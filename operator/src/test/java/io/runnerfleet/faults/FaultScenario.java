package io.runnerfleet.faults;

import io.runnerfleet.bench.Figures;

/** One fault scenario of {@code faults/run}: runs at a size and adds its figures. */
public interface FaultScenario {
    /** The name {@code faults/run NAME} selects it by. */
    String name();

    void run(FaultSize size, Figures out) throws Exception;
}
