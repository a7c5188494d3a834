package io.runnerfleet.bench;

/** One benchmark: runs with a size and adds its figures. */
public interface Benchmark {
    /** The name {@code bench/run NAME} selects it by. */
    String name();

    void run(BenchSize size, Figures out) throws Exception;
}
