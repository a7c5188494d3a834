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
 *   <li>{@code -XX:+ExitOnOutOfMemoryError} and {@code -Djava.io.tmpdir=/tmp}: as the image's (the root
 *       filesystem is read-only; a pod whose JVM ran out of memory is better restarted than limping).</li>
 * </ul>
 *
 * C2 stays on ({@code -XX:TieredStopAtLevel=1} would start faster but slow the log path, which masks every line).
 */
public final class ManagerJvmOptions {
    public static final String JAVA_TOOL_OPTIONS =
            "-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -Xss512k -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp";

    private ManagerJvmOptions() {}
}
