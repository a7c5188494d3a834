package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reading a container's copy in chunks: whole, in order, each line once, the next chunk read while one is forwarded. */
class LogFileFollowingTest {
    private static final int CHUNK = 64;
    private static final ContainerLogFollower.Settings FAST =
            new ContainerLogFollower.Settings(Duration.ofMillis(1), Duration.ofMillis(4), 3);

    /** A complete file, read at most {@link #CHUNK} bytes at a time; optionally failing once at one offset. */
    private static final class CompleteFile implements LogFileReader {
        final byte[] content;
        final List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final long failOnceAt;
        final CountDownLatch secondReadStarted = new CountDownLatch(1);
        private boolean failed;

        CompleteFile(byte[] content, long failOnceAt) {
            this.content = content;
            this.failOnceAt = failOnceAt;
        }

        @Override
        public Chunk read(String container, long offset) throws LogStreamException {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                offsets.add(offset);
                if (offset == CHUNK) {
                    secondReadStarted.countDown();
                }
                synchronized (this) {
                    if (offset == failOnceAt && !failed) {
                        failed = true;
                        throw new LogStreamException(0, "the helper was busy", null);
                    }
                }
                int from = (int) Math.min(offset, content.length);
                int to = Math.min(content.length, from + CHUNK);
                return new Chunk(Arrays.copyOfRange(content, from, to), true);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public int chunkBytes() {
            return CHUNK;
        }

        @Override
        public boolean keepsFile(String container) {
            return true;
        }
    }

    /** Lines of varied length, some longer than a chunk, the last without a newline. */
    private static byte[] log(int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append("line ")
                    .append(i)
                    .append(" ")
                    .append("x".repeat((i * 37) % 150))
                    .append('\n');
        }
        text.append("the end without a newline");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final class Collected implements LineSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> lines = new ArrayList<>();

        @Override
        public void line(byte[] text) {
            bytes.writeBytes(text);
            lines.add(new String(text, StandardCharsets.UTF_8));
        }
    }

    private static FollowResult follow(LogFileReader file, LineSink sink) {
        return new LogFileFollowing(file, c -> ContainerRunState.TERMINATED, FAST, () -> false)
                .follow(TraceContainer.BUILD, 0, sink, 0, 0);
    }

    @Test
    void everyLineOnceInOrderWithReadsOneAtATimeAndTheEndReadOnce() {
        byte[] content = log(200);
        CompleteFile file = new CompleteFile(content, -1);
        Collected sink = new Collected();

        FollowResult result = follow(file, sink);

        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.bytes.toByteArray()).isEqualTo(content);
        assertThat(sink.lines).hasSize(201).last().isEqualTo("the end without a newline");
        assertThat(result.lines()).isEqualTo(201);
        assertThat(file.mostInFlight.get()).isEqualTo(1);
        List<Long> expected = new ArrayList<>();
        for (long at = 0; at < content.length; at += CHUNK) {
            expected.add(at);
        }
        expected.add((long) content.length); // the empty read at the end, once: it may let the helper exit
        assertThat(file.offsets).containsExactlyElementsOf(expected);
    }

    @Test
    void aReadAheadThatFailsIsReadAgain() {
        byte[] content = log(100);
        CompleteFile file = new CompleteFile(content, 5 * CHUNK);
        Collected sink = new Collected();

        FollowResult result = follow(file, sink);

        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.bytes.toByteArray()).isEqualTo(content);
        assertThat(file.offsets).filteredOn(at -> at == 5 * CHUNK).hasSize(2);
    }

    @Test
    void theNextChunkIsReadWhileOneIsForwarded() {
        byte[] content = log(50);
        CompleteFile file = new CompleteFile(content, -1);
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> readWhileForwarding = new ArrayList<>();
        Collected collected = new Collected();
        LineSink sink = new LineSink() {
            @Override
            public void line(byte[] text) {
                collected.line(text);
            }

            @Override
            public void lines(byte[] text, int from, int to) {
                if (calls.getAndIncrement() == 0) {
                    // Without a read ahead the second read would start only after this returns.
                    try {
                        readWhileForwarding.add(file.secondReadStarted.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                LineSink.super.lines(text, from, to);
            }
        };

        FollowResult result = follow(file, sink);

        assertThat(readWhileForwarding).containsExactly(true);
        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(collected.bytes.toByteArray()).isEqualTo(content);
    }
}
