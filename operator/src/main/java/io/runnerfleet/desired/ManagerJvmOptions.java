package io.runnerfleet.desired;

/**
 * The JVM options of a manager pod, set as {@code JAVA_TOOL_OPTIONS} on its container (replacing the image's, which
 * the operator keeps). Chosen by measurement ({@code bench/run memory}: {@code manager_memory_*} and
 * {@code manager_cold_start*}, each beside the image's options in the same run; bench/README.md):
 *
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: a manager's heap is small and its work is I/O; G1's regions, remembered sets and
 *       parallel GC threads cost resident memory a manager gains nothing from.</li>
 *   <li>{@code -XX:MaxRAMPercentage=75}: the heap follows the container's memory limit, as in the image.</li>
 *   <li>{@code -Xss512k}: half the default stack reservation for its many mostly idle threads (pollers, log
 *       followers, HTTP clients).</li>
 *   <li>{@code -XX:TieredStopAtLevel=1}: C1 only. C2's compiler threads, their arenas and its code took about 35
 *       MiB of the manager's resident memory with 30 jobs (169 MiB against 202 MiB in the same run); the price is
 *       slower hot loops, mainly the log path's masking, which the in-process {@code log_throughput_*} figure does
 *       not measure under these options.</li>
 *   <li>{@code -XX:+ExitOnOutOfMemoryError} and {@code -Djava.io.tmpdir=/tmp}: as the image's (the root
 *       filesystem is read-only; a pod whose JVM ran out of memory is better restarted than limping).</li>
 * </ul>
 *
 * Measured and left out: {@code MALLOC_ARENA_MAX=2} and {@code -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=10}
 * changed nothing beyond the run-to-run noise (about 15 MiB).
 */
public final class ManagerJvmOptions {
    public static final String JAVA_TOOL_OPTIONS =
            "-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -Xss512k -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"
                    + " -Djava.io.tmpdir=/tmp";

    private ManagerJvmOptions() {}
}
