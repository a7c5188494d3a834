package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.kubelet.JobPods;
import io.runnerfleet.testing.kubelet.KubeletMockServer;
import io.runnerfleet.testing.kubelet.ManualClock;
import io.runnerfleet.testing.kubelet.SimulatedKubelet;
import io.runnerfleet.testing.kubelet.SimulatedLogFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerLogFollowerTest {
    private static final String NS = "jobs";
    private static final String POD = "job-4711";
    static final ContainerLogFollower.Settings FAST =
            new ContainerLogFollower.Settings(Duration.ofMillis(2), Duration.ofMillis(20), 3);

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    private KubeletMockServer mock;
    private SimulatedKubelet kubelet;

    @BeforeEach
    void start() {
        mock = KubeletMockServer.start(clock);
        mock.client().pods().inNamespace(NS).resource(JobPods.jobPod(NS, POD)).create();
        kubelet = mock.kubelet(NS, POD).schedule();
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private ContainerLogFollower follower() {
        return new ContainerLogFollower(
                new KubernetesLogStreams(mock.client(), NS, POD),
                new PodContainerStateProbe(mock.client(), NS, POD),
                FAST);
    }

    /** Collects what the sink gets. */
    static final class Collected implements LineSink {
        final List<String> lines = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void line(byte[] text) {
            lines.add(new String(text, StandardCharsets.UTF_8));
            bytes.writeBytes(text);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void streamsEndingEvery3LinesWhileTheContainerRunsLoseAndRepeatNothing() throws Exception {
        mock.logs().endStreamsEvery(3);
        kubelet.startContainer("build");
        Collected sink = new Collected();
        CompletableFuture<FollowResult> following =
                CompletableFuture.supplyAsync(() -> follower().follow("build", sink));
        for (int i = 1; i <= 40; i++) {
            kubelet.log("build", "line " + i + (i % 7 == 0 ? " ünïcödé ✓" : ""));
            clock.advance(Duration.ofMillis(i % 4 == 0 ? 700 : 100)); // several lines share each second
            if (i % 5 == 0) {
                Thread.sleep(3); // let the follower catch up now and then: it reads while lines still come
            }
        }
        kubelet.logPartial("build", "exit without newline");
        kubelet.terminateContainer("build", 0);

        FollowResult result = following.get(20, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.text()).isEqualTo(mock.logs().text(NS, POD, "build"));
        assertThat(sink.lines).hasSize(41).last().isEqualTo("exit without newline");
        assertThat(result.lines()).isEqualTo(41);
        assertThat(result.streams()).isGreaterThan(13);
        assertThat(mock.logs().requests())
                .allSatisfy(r -> assertThat(r).contains("follow=true", "timestamps=true"))
                .anySatisfy(r -> assertThat(r).contains("&sinceTime="));
    }

    private ContainerLogFollower follower(LogFileReader files, boolean fromFile) {
        return new ContainerLogFollower(
                new KubernetesLogStreams(mock.client(), NS, POD),
                new PodContainerStateProbe(mock.client(), NS, POD),
                FAST,
                files,
                fromFile);
    }

    /** Five lines a second apart, from {@code from} on. */
    private void fiveLines(int from) {
        for (int i = from; i < from + 5; i++) {
            kubelet.log("build", "line " + i);
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void aStreamResumingAfterARotationReadsTheGapFromTheLogFileAtTheOffsetItReached() throws Exception {
        SimulatedLogFiles files = new SimulatedLogFiles(mock.logs(), 16);
        kubelet.startContainer("build");
        fiveLines(0);
        Collected sink = new Collected();
        CompletableFuture<FollowResult> following = CompletableFuture.supplyAsync(
                () -> follower(files.of(NS, POD), false).follow("build", sink));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == 5);
        fiveLines(5);
        kubelet.rotateLog("build");
        fiveLines(10);
        kubelet.logPartial("build", "last words");
        kubelet.terminateContainer("build", 0);

        FollowResult result = following.get(20, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.text()).isEqualTo(mock.logs().text(NS, POD, "build"));
        assertThat(result.lines()).isEqualTo(16);
        assertThat(files.reads()).isPositive();
    }

    @Test
    void withoutAFileToReadAGapLeavesTheKubeletsLogAsItIs() throws Exception {
        LogFileReader none = new LogFileReader() {
            @Override
            public Chunk read(String container, long offset) throws Unavailable {
                throw new Unavailable("the image cannot tee", null);
            }

            @Override
            public int chunkBytes() {
                return 16;
            }

            @Override
            public boolean keepsFile(String container) {
                return true;
            }
        };
        kubelet.startContainer("build");
        fiveLines(0);
        Collected sink = new Collected();
        CompletableFuture<FollowResult> following =
                CompletableFuture.supplyAsync(() -> follower(none, false).follow("build", sink));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == 5);
        fiveLines(5);
        kubelet.rotateLog("build");
        fiveLines(10);
        kubelet.terminateContainer("build", 0);

        assertThat(following.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        // Lines 5 to 9 may have been read before the rotation or be lost with it; nothing is repeated or reordered.
        List<Integer> numbers = sink.lines.stream()
                .map(l -> Integer.parseInt(l.substring("line ".length()).strip()))
                .toList();
        assertThat(numbers).isSorted().doesNotHaveDuplicates().contains(0, 1, 2, 3, 4, 10, 11, 12, 13, 14);
    }

    /**
     * A kubelet stream more than one rotation behind a fast build skips the rotated files in between without a break
     * (the real cluster's 50 MB scenario lost 20 MB so): past {@code READ_FROM_COPY_AFTER_BYTES} the follower reads
     * the rest of the build from its copy, from the exact byte it had reached, even though the stream shows no gap.
     */
    @Test
    void aLargeBuildIsReadFromItsCopyPastTheThresholdWithoutAGapInTheStream() throws Exception {
        SimulatedLogFiles files = new SimulatedLogFiles(mock.logs(), 256 * 1024);
        kubelet.startContainer("build");
        String wide = "x".repeat(1000);
        int lines = (int) (ContainerLogFollower.READ_FROM_COPY_AFTER_BYTES / 1000) + 500;
        for (int i = 0; i < lines; i++) {
            kubelet.log("build", i + " " + wide);
        }
        kubelet.terminateContainer("build", 0);

        Collected sink = new Collected();
        FollowResult result = follower(files.of(NS, POD), false).follow("build", sink);

        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.text()).isEqualTo(mock.logs().text(NS, POD, "build"));
        assertThat(files.reads()).as("the rest came from the copy").isPositive();
    }

    @Test
    void anAdoptingFollowerReadsTheBuildFromItsFileAndNeverTheKubeletsLog() throws Exception {
        SimulatedLogFiles files = new SimulatedLogFiles(mock.logs(), 16);
        kubelet.startContainer("build");
        fiveLines(0);
        kubelet.rotateLog("build");
        fiveLines(5);
        kubelet.terminateContainer("build", 0);

        Collected sink = new Collected();
        FollowResult result = follower(files.of(NS, POD), true).follow("build", sink);

        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.text()).isEqualTo(mock.logs().text(NS, POD, "build"));
        assertThat(mock.logs().requests()).isEmpty();
    }

    /**
     * The real cluster's adoption scenarios lost the build's last lines: the adopter read the file by exec into the
     * helper, slept between reads, and the helper exited right after the build, before the next read. Here the helper
     * exits as its script does, the moment the build has ended, unless a reader announced itself: then once that
     * reader has read the complete file to its end. The reader is slow (a poll well behind the build's end) and still
     * gets every line, the last one included.
     */
    @Test
    void anAdoptingFollowerAPollBehindWhenTheBuildEndsStillGetsItsLastLinesFromTheHelper() throws Exception {
        SimulatedLogFiles files = new SimulatedLogFiles(mock.logs(), 16);
        kubelet.startContainer("build").startContainer("helper");
        fiveLines(0);
        kubelet.rotateLog("build");
        ContainerLogFollower.Settings slow =
                new ContainerLogFollower.Settings(Duration.ofMillis(200), Duration.ofMillis(400), 3);
        Collected sink = new Collected();
        CompletableFuture<FollowResult> following = CompletableFuture.supplyAsync(() -> new ContainerLogFollower(
                        new KubernetesLogStreams(mock.client(), NS, POD),
                        new PodContainerStateProbe(mock.client(), NS, POD),
                        slow,
                        files.of(NS, POD),
                        true)
                .follow("build", sink));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == 5);
        fiveLines(5);
        kubelet.logPartial("build", "after-the-kill");
        kubelet.terminateContainer("build", 0);
        boolean readToTheEnd = files.helperMayExit(NS, POD, Duration.ofSeconds(20));
        kubelet.terminateContainer("helper", 0);

        FollowResult result = following.get(20, TimeUnit.SECONDS);
        assertThat(readToTheEnd).as("the helper waited for the reader").isTrue();
        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.text()).isEqualTo(mock.logs().text(NS, POD, "build"));
        assertThat(sink.lines).last().isEqualTo("after-the-kill");
    }

    /** A read once the helper is gone fails, as an exec into a stopped container does: the rest of the file is lost. */
    @Test
    void aReaderWhoseHelperHasExitedGetsNothingMore() throws Exception {
        SimulatedLogFiles files = new SimulatedLogFiles(mock.logs(), 16);
        kubelet.startContainer("build").startContainer("helper");
        fiveLines(0);
        kubelet.terminateContainer("build", 0);
        kubelet.terminateContainer("helper", 0);

        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                        LogStreamException.class, () -> files.of(NS, POD).read("build", 0)))
                .hasMessageContaining("not running");
        assertThat(files.helperMayExit(NS, POD, Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void manyLinesWithTheSameTimestamp() throws Exception {
        mock.logs().endStreamsEvery(3);
        kubelet.startContainer("build");
        for (int i = 1; i <= 10; i++) {
            kubelet.log("build", "same instant " + i); // the clock does not move: identical timestamps
        }
        clock.advance(Duration.ofMillis(300));
        kubelet.log("build", "same second, later");
        kubelet.log("build", "same second, later"); // identical text, identical timestamp
        kubelet.terminateContainer("build", 0);

        Collected sink = new Collected();
        FollowResult result = follower().follow("build", sink);
        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.text()).isEqualTo(mock.logs().text(NS, POD, "build"));
        assertThat(sink.lines).hasSize(12);
    }

    @Test
    void waitsForAContainerThatHasNotStarted() throws Exception {
        Collected sink = new Collected();
        CompletableFuture<FollowResult> following =
                CompletableFuture.supplyAsync(() -> follower().follow("helper", sink));
        Thread.sleep(50);
        assertThat(following).isNotDone();
        kubelet.startContainer("helper").log("helper", "Uploading artifacts...").terminateContainer("helper", 0);
        assertThat(following.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sink.text()).isEqualTo("Uploading artifacts...\n");
    }

    @Test
    void aContainerThatWillNeverRunEndsTheFollow() {
        kubelet.startContainer("prepare").startContainer("build").evict("The node was low on resource: memory.");
        FollowResult result = follower().follow("helper", new Collected());
        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.WILL_NOT_RUN);
        assertThat(follower().follow("build", new Collected()).outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
    }

    @Test
    void aDeletedPodEndsTheFollow() {
        kubelet.startContainer("build").log("build", "hello");
        mock.client().pods().inNamespace(NS).withName(POD).delete();
        assertThat(follower().follow("build", new Collected()).outcome()).isEqualTo(FollowResult.Outcome.POD_GONE);
    }

    @Test
    void cancelStopsAFollowThatWaits() throws Exception {
        kubelet.startContainer("build");
        ContainerLogFollower follower = follower();
        CompletableFuture<FollowResult> following =
                CompletableFuture.supplyAsync(() -> follower.follow("build", new Collected()));
        Thread.sleep(30);
        follower.cancel();
        assertThat(following.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(FollowResult.Outcome.CANCELLED);
    }

    /** A stream that breaks mid-line (transport error) is resumed; the broken half line is never forwarded. */
    @Test
    void aStreamBrokenInsideALineIsResumedWithoutTheFragment() {
        String log = """
                2024-05-01T10:00:00.1Z a
                2024-05-01T10:00:00.2Z b
                2024-05-01T10:00:01Z c
                2024-05-01T10:00:01Z d
                2024-05-01T10:00:02.5Z e
                """;
        List<Instant> sinceTimes = new ArrayList<>();
        int[] opens = {0};
        LogStreamOpener opener = (container, since) -> {
            sinceTimes.add(since);
            byte[] all = log.getBytes(StandardCharsets.UTF_8);
            int from = 0;
            if (since != null) {
                from = log.indexOf(KubeletTimestamps.format(since).replace("Z", ""));
            }
            byte[] rest = java.util.Arrays.copyOfRange(all, from, all.length);
            opens[0]++;
            // the first stream breaks in the middle of "d"'s timestamp
            return opens[0] == 1
                    ? breaking(rest, log.indexOf("2024-05-01T10:00:01Z d") + 10)
                    : new ByteArrayInputStream(rest);
        };
        ContainerStateProbe probe = c -> opens[0] == 0 ? ContainerRunState.RUNNING : ContainerRunState.TERMINATED;
        Collected sink = new Collected();
        FollowResult result = new ContainerLogFollower(opener, probe, FAST).follow("build", sink);
        assertThat(sink.text()).isEqualTo("a\nb\nc\nd\ne\n");
        assertThat(result.outcome()).isEqualTo(FollowResult.Outcome.COMPLETED);
        assertThat(sinceTimes.get(0)).isNull();
        assertThat(sinceTimes.get(1)).isEqualTo(Instant.parse("2024-05-01T10:00:01Z"));
    }

    // A test stream of a few bytes: single-byte reads are fast enough.
    @SuppressWarnings("InputStreamSlowMultibyteRead")
    private static InputStream breaking(byte[] data, int breakAt) {
        return new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos == breakAt) {
                    throw new IOException("connection reset");
                }
                return pos < data.length ? data[pos++] & 0xff : -1;
            }
        };
    }

    @Test
    void parsesKubeletLines() {
        assertThat(KubeletTimestamps.parse("2024-05-01T10:00:00.123456789Z"))
                .isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
        assertThat(KubeletTimestamps.format(Instant.parse("2024-05-01T10:00:00.120Z")))
                .isEqualTo("2024-05-01T10:00:00.12Z");
        assertThat(KubeletTimestamps.sinceTime(Instant.parse("2024-05-01T10:00:07.999Z")))
                .isEqualTo("2024-05-01T10:00:07Z");
        assertThat(new KubernetesLogStreams(null, "jobs", "p").path("build", Instant.parse("2024-05-01T10:00:07.5Z")))
                .isEqualTo("api/v1/namespaces/jobs/pods/p/log?container=build&follow=true&timestamps=true"
                        + "&sinceTime=2024-05-01T10%3A00%3A07Z");
    }
}
