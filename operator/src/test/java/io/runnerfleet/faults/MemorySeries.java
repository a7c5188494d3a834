package io.runnerfleet.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * One memory figure of one process read over a run, in order. Issue #18's goal "flat": the mean of the last 10 % of
 * the readings within 10 % of the mean of the first 10 % (at least one reading each).
 */
final class MemorySeries {
    static final double FLAT_WITHIN = 0.10;

    private final List<Long> bytes = new ArrayList<>();

    synchronized void add(long value) {
        bytes.add(value);
    }

    synchronized int size() {
        return bytes.size();
    }

    synchronized long max() {
        return bytes.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Mean of the first 10 % of the readings (at least one). */
    synchronized double firstTenth() {
        return mean(bytes.subList(0, tenth()));
    }

    /** Mean of the last 10 % of the readings (at least one). */
    synchronized double lastTenth() {
        return mean(bytes.subList(bytes.size() - tenth(), bytes.size()));
    }

    /** Last tenth over first tenth: 1.0 is flat, 1.25 grew by a quarter. */
    synchronized double ratio() {
        return bytes.isEmpty() ? 0 : lastTenth() / firstTenth();
    }

    synchronized boolean flat() {
        return !bytes.isEmpty() && Math.abs(ratio() - 1) <= FLAT_WITHIN;
    }

    private int tenth() {
        return Math.max(1, bytes.size() / 10);
    }

    private static double mean(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElse(0);
    }
}
