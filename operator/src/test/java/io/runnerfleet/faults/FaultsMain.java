package io.runnerfleet.faults;

import io.runnerfleet.bench.BenchMain;
import io.runnerfleet.bench.Figures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the fault scenarios in-process and prints one {@code name=value unit} line per figure on stdout (progress
 * goes to stderr), with the benchmarks' {@link Figures}. {@code faults/run [NAME...]} is the way in: it builds, sets
 * the class path and the working directory ({@code operator/}), and writes the figures to
 * {@code faults/results/latest.txt}.
 *
 * <p>Arguments: scenario names (default: all: gitlab, kube, kube-jobs, soak), {@code --tiny} for the smoke test's
 * sizes, {@code --soak-jobs=N} for a soak of N jobs at the full soak's other settings, {@code --soak-api=real|mock}
 * for the API server of the soak ({@link SoakApi}; real by default). Exits 2 on a bad argument, 1 when a
 * scenario failed to run (its goals are figures, read in the results, and asserted by {@code FaultsSmokeTest}).
 */
public final class FaultsMain {
    private static final String SOAK_JOBS = "--soak-jobs=";
    private static final String SOAK_API = "--soak-api=";

    private FaultsMain() {}

    static Map<String, FaultScenario> scenarios() {
        Map<String, FaultScenario> all = new LinkedHashMap<>();
        for (FaultScenario s :
                List.<FaultScenario>of(new GitLabFaults(), new KubeFaults(), new KubeJobFaults(), new Soak())) {
            all.put(s.name(), s);
        }
        return all;
    }

    public static void main(String[] args) {
        BenchMain.quietMockApiServer();
        FaultSize size = FaultSize.full();
        List<String> names = new ArrayList<>();
        int soakJobs = 0;
        SoakApi soakApi = SoakApi.REAL;
        for (String arg : args) {
            if (arg.equals("--tiny")) {
                size = FaultSize.tiny();
            } else if (arg.startsWith(SOAK_JOBS)) {
                soakJobs = Integer.parseInt(arg.substring(SOAK_JOBS.length()));
            } else if (arg.startsWith(SOAK_API)) {
                try {
                    soakApi = SoakApi.parse(arg.substring(SOAK_API.length()));
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    System.exit(2);
                }
            } else {
                names.add(arg);
            }
        }
        if (soakJobs > 0) {
            size = size.withSoak(size.soak().withJobs(soakJobs));
        }
        size = size.withSoak(size.soak().withApi(soakApi));
        Map<String, FaultScenario> all = scenarios();
        if (names.isEmpty()) {
            names.addAll(all.keySet());
        }
        for (String name : names) {
            if (!all.containsKey(name)) {
                System.err.println("unknown fault scenario " + name + "; known: " + String.join(", ", all.keySet()));
                System.exit(2);
            }
        }
        Figures figures = new Figures(System.out);
        int failed = 0;
        for (String name : names) {
            long start = System.nanoTime();
            System.err.printf("faults: %s ...%n", name);
            try {
                all.get(name).run(size, figures);
                System.err.printf("faults: %s took %.1f s%n", name, (System.nanoTime() - start) / 1e9);
            } catch (Exception | AssertionError e) {
                failed++;
                System.err.printf("faults: %s FAILED after %.1f s: %s%n", name, (System.nanoTime() - start) / 1e9, e);
                e.printStackTrace();
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
