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
    void aSmallTraceNeverTouchesTheDisk() {
        try (TraceStore store = new TraceStore()) {
            byte[] text = "Job succeeded\n".getBytes(StandardCharsets.UTF_8);
            store.append(text, 0, text.length);
            assertThat(store.spilled()).isFalse();
            assertThat(store.read(4, 9)).isEqualTo("succeeded".getBytes(StandardCharsets.UTF_8));
        }
    }
}
