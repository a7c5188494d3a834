package io.runnerfleet.desired;

/**
 * The JVM options of a manager pod, set as {@code JAVA_TOOL_OPTIONS} on its container (replacing the image's, which
 * the operator keeps). Chosen by measurement ({@code bench/run memory}: {@code manager_memory_*} and
 * {@code manager_cold_start*}, each beside the image's options in the same run; bench/README.md):
 *
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: a manager's heap is small and its work is I/O; G1's regions, remembered sets and
 *       parallel GC threads cost resident memory a manager gains nothing from.</li>
 *   <li>{@code -XX:MaxRAMPercentage=40}: the heap follows the container's memory limit, but at 40 %, not the
 *       image's 75 %. Native Memory Tracking on a soak's manager ({@code jcmd PID VM.native_memory}, bench/README.md
 *       "What a manager's resident memory is") put everything but the heap at about 120 MiB resident with 20 jobs
 *       (metaspace 31, code 15, thread stacks 10, symbols 8, shared classes 12, libjvm and malloc the rest): a 75 %
 *       heap of a 512 MiB limit (384 MiB) plus that is the whole limit, so a heap grown to its maximum (the serial
 *       collector grows the old generation on promotion, up to its maximum, before it collects it in full) would
 *       meet the kernel's OOM kill, not the JVM's {@code OutOfMemoryError}. 40 % (205 MiB of 512) is 2.5 times the most live heap any
 *       soak reading showed (80 MiB after a full GC).</li>
 *   <li>{@code -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30}: after a full collection the serial collector gives
 *       back heap beyond 30 % free (the default keeps up to 70 %): the soak's never-killed manager, whose live heap
 *       stayed at 25–35 MiB, ended a 1,000-job run at 197 MiB resident against 260 MiB with the default ratios
 *       (NMT: the heap's committed part 136 MiB with the default ratios, 70 MiB with these and {@code -Xmn24m}).
 *       Each full collection may give back heap and the next promotions take it again, so the heap follows the
 *       live set instead of keeping its largest size.</li>
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
 * Measured and left out: {@code MALLOC_ARENA_MAX=2} changed nothing beyond the run-to-run noise (about 15 MiB) in
 * the 30-job benchmark, and NMT shows malloc'd memory small beside the heap; {@code -Xmn24m} (a fixed young
 * generation) beside the free ratios changed the soak's end figure by less than that noise (199 against 197 MiB).
 */
public final class ManagerJvmOptions {
    public static final String JAVA_TOOL_OPTIONS =
            "-XX:+UseSerialGC -XX:MaxRAMPercentage=40 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k"
                    + " -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp";

    private ManagerJvmOptions() {}
}
