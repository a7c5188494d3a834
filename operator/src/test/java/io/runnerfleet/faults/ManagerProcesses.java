package io.runnerfleet.faults;

import io.runnerfleet.bench.MemoryBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak's managers: {@code runner-fleet manager} in child JVMs ({@link MemoryBenchmark#start}, the manager
 * Deployment's JVM options in a 512 MiB container), one fleet, all against the same mock API server and test GitLab.
 * A kill is SIGKILL to the JVM itself (no shutdown hook, no hand-over, no Lease released), then a restart:
 * alternately as a new pod (the Deployment replacing a lost pod: a new name, so the peers adopt the dead one's Job
 * Pods when its Lease expires) and as the same pod (kubelet restarting the crashed container: the same
 * {@code POD_NAME}, so the same Lease holder).
 */
final class ManagerProcesses implements AutoCloseable {
    /** The managers' Kubernetes client User-Agent, so their API requests are counted apart from the test's own. */
    static final String USER_AGENT = "runner-fleet-soak-manager";

    private final Path dir;
    private final Path config;
    private final Path token;
    private final Path kubeconfig;
    private final String namespace;
    private final Process[] processes;
    private final String[] podNames;
    private final int[] incarnations;
    private final List<Process> all = new ArrayList<>();

    ManagerProcesses(Path dir, Path config, Path token, Path kubeconfig, String namespace, int managers) {
        this.dir = dir;
        this.config = config;
        this.token = token;
        this.kubeconfig = kubeconfig;
        this.namespace = namespace;
        this.processes = new Process[managers];
        this.podNames = new String[managers];
        this.incarnations = new int[managers];
    }

    void startAll() throws IOException {
        for (int i = 0; i < processes.length; i++) {
            podNames[i] = "shop-manager-soak-" + i + "-0";
            start(i);
        }
    }

    private void start(int i) throws IOException {
        List<String> flags = new ArrayList<>(MemoryBenchmark.MANAGER_JVM_FLAGS);
        flags.add("-Dkubernetes.user.agent=" + USER_AGENT);
        processes[i] = MemoryBenchmark.start(
                log(i),
                kubeconfig,
                flags,
                Map.of("POD_NAME", podNames[i], "POD_NAMESPACE", namespace),
                "manager",
                "--config",
                config.toString(),
                "--token-file",
                token.toString(),
                "--listen-address",
                "127.0.0.1:0");
        all.add(processes[i]);
    }

    /** This incarnation's log (a restart writes a new one, so the dead one's last lines stay). */
    Path log(int i) {
        return dir.resolve("manager-" + i + "-" + incarnations[i] + ".log");
    }

    /**
     * SIGKILL manager {@code i}, wait until it is gone, start it again. Returns whether it came back as a new pod:
     * its 1st, 3rd... kill does (a new name), its 2nd, 4th... restarts the same pod (the same name).
     */
    boolean killAndRestart(int i) throws IOException, InterruptedException {
        Process victim = processes[i];
        victim.destroyForcibly();
        if (!victim.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("manager " + podNames[i] + " still alive 30 s after SIGKILL");
        }
        incarnations[i]++;
        boolean newPod = incarnations[i] % 2 == 1;
        if (newPod) {
            podNames[i] = "shop-manager-soak-" + i + "-" + incarnations[i];
        }
        start(i);
        return newPod;
    }

    Process process(int i) {
        return processes[i];
    }

    int size() {
        return processes.length;
    }

    @Override
    public void close() {
        for (Process p : all) {
            if (p.isAlive()) {
                try {
                    MemoryBenchmark.stop(p);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        }
    }
}
