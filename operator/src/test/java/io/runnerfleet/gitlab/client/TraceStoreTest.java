package io.runnerfleet.gitlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TraceStoreTest {
    @Test
    void aLargeTraceMovesToAFileAndReadsBackByteForByte() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (TraceStore store = new TraceStore()) {
            for (int i = 0; store.size() <= 3L * TraceStore.SPILL_BYTES; i++) {
                byte[] line = ("line " + i + " " + "x".repeat(i % 200) + "\n").getBytes(StandardCharsets.UTF_8);
                store.append(line, 0, line.length);
                expected.write(line, 0, line.length);
                if (store.size() < TraceStore.SPILL_BYTES) {
                    assertThat(store.spilled())
                            .as("small traces stay on the heap")
                            .isFalse();
                }
            }
            assertThat(store.spilled()).isTrue();
            byte[] all = expected.toByteArray();
            assertThat(store.size()).isEqualTo(all.length);
            assertThat(store.read(0, all.length)).isEqualTo(all);
            assertThat(store.read(TraceStore.SPILL_BYTES - 7, 100))
                    .isEqualTo(
                            java.util.Arrays.copyOfRange(all, TraceStore.SPILL_BYTES - 7, TraceStore.SPILL_BYTES + 93));
        }
    }

    @Test
    void readsBetweenBufferedAppendsSeeEveryByte() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        java.util.Random random = new java.util.Random(16);
        try (TraceStore store = new TraceStore()) {
            while (store.size() <= 2L * TraceStore.SPILL_BYTES) {
                // Lines, and now and then one at least as large as the write buffer, which goes out directly.
                int length =
                        random.nextInt(50) == 0 ? TraceStore.WRITE_BUFFER + random.nextInt(100) : random.nextInt(300);
                byte[] data = new byte[length + 3];
                random.nextBytes(data);
                store.append(data, 3, length);
                expected.write(data, 3, length);
                if (store.spilled() && random.nextInt(20) == 0) {
                    // What the uploader does between appends: read what is not acknowledged yet, up to the end.
                    int tail = (int) Math.min(store.size(), 1 + random.nextInt(5000));
                    byte[] all = expected.toByteArray();
                    assertThat(store.read(store.size() - tail, tail))
                            .isEqualTo(java.util.Arrays.copyOfRange(all, all.length - tail, all.length));
                }
            }
            byte[] all = expected.toByteArray();
            assertThat(store.read(0, all.length)).isEqualTo(all);
        }
    }

    @Test
    void aSmallTraceNeverTouchesTheDisk() {
        try (TraceStore store = new TraceStore()) {
            byte[] text = "Job succeeded\n".getBytes(StandardCharsets.UTF_8);
            store.append(text, 0, text.length);
            assertThat(store.spilled()).isFalse();
            assertThat(store.read(4, 9)).isEqualTo("succeeded".getBytes(StandardCharsets.UTF_8));
        }
    }
}
