package io.runnerfleet.manager.trace;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.kubelet.JobPods;
import io.runnerfleet.testing.kubelet.KubeletMockServer;
import io.runnerfleet.testing.kubelet.ManualClock;
import io.runnerfleet.testing.kubelet.SimulatedKubelet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TraceWriterTest {
    private static final String NS = "jobs";
    private static final String POD = "fleet-job-4711";
    private static final Clock SECTION_CLOCK = Clock.fixed(Instant.ofEpochSecond(1714557600), ZoneOffset.UTC);
    private static final List<String> MASKED = List.of("s3cr3t-value", "hunter2");
    private static final List<String> PREFIXES = List.of("glrt-", "glcbt-");
    private static final TracePreamble PREAMBLE = new TracePreamble("build-fleet", "0.1.0", NS, POD);

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void preambleIsFixedBytes() {
        CollectedTrace buffer = new CollectedTrace();
        TraceWriter writer = TraceWriter.forJob(buffer, List.of(), List.of(), 0, SECTION_CLOCK);
        writer.preamble(PREAMBLE);
        writer.finish();
        assertThat(s(buffer.toByteArray()))
                .isEqualTo("\033[0KRunning with runner-fleet 0.1.0\033[0;m\n"
                        + "\033[0K  on build-fleet\033[0;m\n"
                        + "section_start:1714557600:prepare_executor\r\033[0K"
                        + "\033[0K\033[36;1mPreparing the \"kubernetes\" executor\033[0;m\033[0;m\n"
                        + "\033[0KUsing Kubernetes namespace: jobs\033[0;m\n"
                        + "section_end:1714557600:prepare_executor\r\033[0K"
                        + "section_start:1714557600:prepare_script\r\033[0K"
                        + "\033[0K\033[36;1mPreparing environment\033[0;m\033[0;m\n"
                        + "\033[0KRunning on fleet-job-4711\033[0;m\n"
                        + "section_end:1714557600:prepare_script\r\033[0K");
    }

    @Test
    void theUsersAJobAskedForAreToldInPreparingEnvironmentAsGitLabRunnerTellsThem() {
        CollectedTrace buffer = new CollectedTrace();
        TraceWriter writer = TraceWriter.forJob(buffer, List.of(), List.of(), 0, SECTION_CLOCK);
        writer.preamble(new TracePreamble(
                "build-fleet",
                "0.1.0",
                NS,
                POD,
                List.of("Overriding group for container \"build\" to \"1000\" is not allowed: group is set to 3000 in "
                        + "pod security context"),
                List.of("Error parsing 'uid' from image options for container \"build\", using the configured "
                        + "security context: validating UID: user \"0\" is not in the allowed list: []")));
        writer.finish();
        assertThat(s(buffer.toByteArray()))
                .contains("\033[0K\033[36;1mPreparing environment\033[0;m\033[0;m\n"
                        + "\033[0KOverriding group for container \"build\" to \"1000\" is not allowed: group is set to "
                        + "3000 in pod security context\033[0;m\n"
                        + "\033[0;33mWARNING: Error parsing 'uid' from image options for container \"build\", using the "
                        + "configured security context: validating UID: user \"0\" is not in the allowed list: []"
                        + "\033[0;m\n"
                        + "\033[0KRunning on fleet-job-4711\033[0;m\n");
    }

    @Test
    void withTimestampsEveryLineCarriesGitLabRunnersHeaderAndContainerLinesTheKubeletsTime() {
        CollectedTrace buffer = new CollectedTrace();
        TraceWriter writer = TraceWriter.forJob(
                buffer,
                List.of("hunter2"),
                List.of(),
                0,
                SECTION_CLOCK,
                io.runnerfleet.base.FeatureFlags.Resolved.defaults());
        writer.message("Running");
        writer.startSection("step_script", "Executing \"step_script\" stage of the job script");
        writer.containerLine(Instant.parse("2024-05-01T10:00:01.5Z"), "pass hunter2 glrt-abc\n".getBytes(UTF_8));
        writer.containerLine(Instant.parse("2024-05-01T10:00:02Z"), "no newline".getBytes(UTF_8));
        writer.endSection("step_script");
        writer.finish();
        assertThat(s(buffer.toByteArray()))
                .isEqualTo("2024-05-01T10:00:00.000000Z 00O \033[0KRunning\033[0;m\n"
                        + "2024-05-01T10:00:00.000000Z 00O section_start:1714557600:step_script\r\033[0K\n"
                        + "2024-05-01T10:00:00.000000Z 00O+\033[0K\033[36;1mExecuting \"step_script\" stage of the job "
                        + "script\033[0;m\033[0;m\n"
                        + "2024-05-01T10:00:01.500000Z 01O pass [MASKED] glrt-[MASKED]\n"
                        + "2024-05-01T10:00:02.000000Z 01O no newline\n"
                        + "2024-05-01T10:00:00.000000Z 00O section_end:1714557600:step_script\r\033[0K\n");
    }

    /** Plays one job: prepare, build (with secrets, a split token, many lines per second), helper. */
    private static void playJob(SimulatedKubelet kubelet, ManualClock clock) throws InterruptedException {
        kubelet.startContainer("prepare")
                .log(
                        "prepare",
                        "Fetching changes with git depth set to 20...",
                        "Cloning https://gitlab-ci-token:glcbt-64_Zx9exampleJobToken@gitlab.example.com/acme/shop.git")
                .terminateContainer("prepare", 0)
                .startContainer("svc-0")
                .startContainer("build");
        for (int i = 1; i <= 30; i++) {
            clock.advance(Duration.ofMillis(150));
            kubelet.log(
                    "build",
                    switch (i % 6) {
                        case 0 -> "DB_PASSWORD=s3cr3t-value (line " + i + ")";
                        case 1 -> "token glrt-t1_abcdefghijk end";
                        case 2 -> "ünïcödé ✓ hunter2hunter2";
                        default -> "$ make test " + i;
                    });
            if (i % 10 == 0) {
                Thread.sleep(2);
            }
        }
        kubelet.logPartial("build", "last words s3cr3t-val")
                .terminateContainer("build", 0)
                .startContainer("helper")
                .log("helper", "Uploading artifacts...")
                .terminateContainer("helper", 0)
                .succeed();
    }

    private static byte[] runJob(int endStreamsEvery, boolean followWhileRunning, List<byte[]> chunks)
            throws Exception {
        ManualClock logClock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
        try (KubeletMockServer mock = KubeletMockServer.start(logClock)) {
            mock.client()
                    .pods()
                    .inNamespace(NS)
                    .resource(JobPods.jobPod(NS, POD))
                    .create();
            mock.logs().endStreamsEvery(endStreamsEvery);
            SimulatedKubelet kubelet = mock.kubelet(NS, POD).schedule();
            CollectedTrace buffer = new CollectedTrace();
            TraceSink sink = bytes -> {
                chunks.add(bytes);
                buffer.append(bytes);
            };
            TraceWriter writer = TraceWriter.forJob(sink, MASKED, PREFIXES, 0, SECTION_CLOCK);
            ContainerLogFollower follower = new ContainerLogFollower(
                    new KubernetesLogStreams(mock.client(), NS, POD),
                    new PodContainerStateProbe(mock.client(), NS, POD),
                    ContainerLogFollowerTest.FAST);
            List<TraceContainer> containers =
                    List.of(TraceContainer.prepare(), TraceContainer.build(), TraceContainer.helper(true));
            if (followWhileRunning) {
                CompletableFuture<List<FollowResult>> job =
                        CompletableFuture.supplyAsync(() -> writer.job(PREAMBLE, containers, follower));
                playJob(kubelet, logClock);
                assertThat(job.get(30, TimeUnit.SECONDS))
                        .extracting(FollowResult::outcome)
                        .containsOnly(FollowResult.Outcome.COMPLETED);
            } else {
                playJob(kubelet, logClock);
                writer.job(PREAMBLE, containers, follower);
            }
            writer.jobSucceeded();
            writer.finish();
            return buffer.toByteArray();
        }
    }

    @Test
    void sameLogsGiveTheSameBytesHoweverTheStreamsBroke() throws Exception {
        byte[] interrupted = runJob(3, true, new ArrayList<>());
        byte[] uninterrupted = runJob(0, false, new ArrayList<>());
        assertThat(s(interrupted)).isEqualTo(s(uninterrupted));
        assertThat(interrupted).isEqualTo(uninterrupted);

        String trace = s(uninterrupted);
        assertThat(trace)
                .contains(
                        "section_start:1714557600:get_sources\r\033[0K\033[0K\033[36;1mGetting source from Git repository")
                .contains(
                        "section_start:1714557600:step_script\r\033[0K\033[0K\033[36;1mExecuting \"step_script\" stage")
                .contains("$ make test 29\n")
                .contains("last words s3cr3t-valsection_end:1714557600:step_script\r\033[0K")
                .contains("section_start:1714557600:upload_artifacts_on_success")
                .endsWith("Uploading artifacts...\nsection_end:1714557600:upload_artifacts_on_success\r\033[0K"
                        + "\033[32;1mJob succeeded\033[0;m\n");
    }

    @Test
    void aMaskedValueNeverReachesTheSink() throws Exception {
        List<byte[]> chunks = new ArrayList<>();
        String trace = s(runJob(3, true, chunks));
        assertThat(trace)
                .doesNotContain("s3cr3t-value", "hunter2", "t1_abcdefghijk", "64_Zx9exampleJobToken")
                .contains("DB_PASSWORD=[MASKED] (line 6)")
                .contains("token glrt-[MASKED] end")
                .contains("ünïcödé ✓ [MASKED][MASKED]")
                .contains("gitlab-ci-token:glcbt-[MASKED]@gitlab.example.com");
        assertThat(chunks).allSatisfy(c -> assertThat(s(c)).doesNotContain("s3cr3t-value", "hunter2"));
    }

    @Test
    void outputLimitCutsTheTraceAndSaysSo() {
        CollectedTrace buffer = new CollectedTrace();
        TraceWriter writer = new TraceWriter(buffer, SecretMasker.defaults(), new OutputLimiter(1024), SECTION_CLOCK);
        writer.startSection(Sections.STEP_SCRIPT, Sections.description(Sections.STEP_SCRIPT));
        for (int i = 0; i < 100; i++) {
            writer.containerLine(("line " + i + " of a noisy build\n").getBytes(StandardCharsets.UTF_8));
        }
        writer.endSection(Sections.STEP_SCRIPT);
        writer.finish();
        assertThat(writer.truncated()).isTrue();
        String trace = s(buffer.toByteArray());
        assertThat(trace).endsWith(OutputLimiter.notice(1024)).doesNotContain("section_end");
        assertThat(buffer.toByteArray().length)
                .isEqualTo(1024 + OutputLimiter.notice(1024).length());
    }

    @Test
    void invalidUtf8BecomesTheReplacementCharacter() {
        assertThat(s(TraceWriter.sanitizeUtf8(new byte[] {'a', (byte) 0xff, 'b', '\n'})))
                .isEqualTo("a\uFFFDb\n");
        byte[] valid = "ü✓\n".getBytes(StandardCharsets.UTF_8);
        assertThat(TraceWriter.sanitizeUtf8(valid)).isSameAs(valid);
    }

    @Test
    void theUtf8CheckAcceptsExactlyWhatTheStrictDecoderAccepts() {
        // Random short byte strings, biased towards lead and continuation bytes and the edges of table 3-7.
        int[] interesting = {
            0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee,
            0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff
        };
        java.util.Random random = new java.util.Random(16);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : interesting[random.nextInt(25)]);
            }
            boolean strict = decodesStrictly(bytes);
            valid += strict ? 1 : 0;
            assertThat(TraceWriter.isWellFormedUtf8(bytes))
                    .as("%s", java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(strict);
        }
        assertThat(valid).as("the sample holds valid strings too").isGreaterThan(1000);
    }

    @Test
    void theUtf8CheckAgreesWithTheStrictDecoderWhereverAByteBreaksALongAsciiRun() {
        // The check skips ASCII eight bytes at a time: every position of a word and of the tail must still be seen.
        byte[][] inserts = {
            {(byte) 0xff}, {(byte) 0xc3, (byte) 0xbc}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x9c, (byte) 0x93}
        };
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at <= length; at++) {
                for (byte[] insert : inserts) {
                    byte[] bytes = new byte[length + insert.length];
                    java.util.Arrays.fill(bytes, (byte) 'x');
                    System.arraycopy(insert, 0, bytes, at, insert.length);
                    assertThat(TraceWriter.isWellFormedUtf8(bytes))
                            .as("%s", java.util.HexFormat.of().formatHex(bytes))
                            .isEqualTo(decodesStrictly(bytes));
                }
            }
        }
    }

    private static boolean decodesStrictly(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Runs of whole lines ({@link LineSink#lines}, how the build's copy is forwarded) give the same trace as the same
     * lines one by one: random lines of the masked values, token prefixes, URL parameters, non-ASCII and invalid
     * UTF-8, now and then one longer than a slice, cut into runs at random, under a random output limit, with and
     * without {@code FF_TIMESTAMPS}.
     */
    @Test
    void runsOfLinesGiveTheSameTraceAsTheLinesOneByOne() {
        String[] pieces = {
            "s3cr3t-value",
            "s3cr3t-val",
            "hunter2",
            "hunt",
            "glrt-",
            "glrt-abc",
            "glcbt-x",
            "glpat-",
            "gl",
            " ",
            "?private_token=",
            "&x=1",
            "ü",
            "✓",
            "\uFFFD",
            "plain text ",
            "s3cr3t%2Dvalue"
        };
        java.util.Random random = new java.util.Random(16);
        for (int t = 0; t < 400; t++) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int lines = 1 + random.nextInt(40);
            for (int l = 0; l < lines; l++) {
                int count = random.nextInt(12);
                for (int k = 0; k < count; k++) {
                    log.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(UTF_8));
                }
                if (random.nextInt(20) == 0) {
                    log.write(0xff); // not UTF-8
                }
                if (random.nextInt(100) == 0) {
                    log.writeBytes("x"
                            .repeat(TraceWriter.SLICE_BYTES + random.nextInt(100))
                            .getBytes(UTF_8));
                }
                log.write('\n');
            }
            byte[] text = log.toByteArray();
            long limit = random.nextBoolean() ? 1 << 30 : 1 + random.nextInt(text.length + 400);
            boolean timestamps = random.nextInt(4) == 0;

            CollectedTrace oneByOne = new CollectedTrace();
            TraceWriter expected = writer(oneByOne, limit, timestamps);
            for (int start = 0; start < text.length; ) {
                int end = ByteScan.indexOf(text, (byte) '\n', start, text.length) + 1;
                expected.containerLine(java.util.Arrays.copyOfRange(text, start, end));
                start = end;
            }
            expected.finish();

            CollectedTrace inRuns = new CollectedTrace();
            TraceWriter actual = writer(inRuns, limit, timestamps);
            LineSink sink = actual.lines();
            int start = 0;
            while (start < text.length) {
                int end = start + random.nextInt(text.length - start + 1);
                end = end == text.length ? end : ByteScan.lastIndexOf(text, (byte) '\n', start, end) + 1;
                if (end <= start) {
                    end = ByteScan.indexOf(text, (byte) '\n', start, text.length) + 1;
                }
                sink.lines(text, start, end);
                start = end;
            }
            actual.finish();

            assertThat(s(inRuns.toByteArray()))
                    .as("trial %d, limit %d, timestamps %s", t, limit, timestamps)
                    .isEqualTo(s(oneByOne.toByteArray()));
            assertThat(inRuns.toByteArray()).isEqualTo(oneByOne.toByteArray());
            assertThat(actual.truncated()).isEqualTo(expected.truncated());
        }
    }

    private static TraceWriter writer(TraceSink sink, long limit, boolean timestamps) {
        return new TraceWriter(
                sink,
                new SecretMasker(SecretMasker.withUrlEncodedForms(MASKED), PREFIXES),
                new OutputLimiter(limit),
                SECTION_CLOCK,
                timestamps);
    }

    /** The trace as the sink received it. */
    private static final class CollectedTrace implements TraceSink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void append(byte[] data) {
            bytes.writeBytes(data);
        }

        synchronized byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
