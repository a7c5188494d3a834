package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** gitlab-runner's timestamper (common/buildlogger/internal/timestamper), its cases byte for byte. */
class LineTimestamperTest {
    private static final Instant T1 = Instant.parse("2026-12-03T10:38:50.123456789Z");
    private static final Instant T2 = Instant.parse("2026-12-03T10:38:51.000001Z");

    private static String write(LineTimestamper stamper, String text, Instant now) {
        return new String(stamper.write(text.getBytes(StandardCharsets.UTF_8), now), StandardCharsets.UTF_8);
    }

    @Test
    void everyLineGetsTheUtcTimeToTheMicrosecondTheStreamAndItsType() {
        LineTimestamper stamper = new LineTimestamper(1, 'O');
        assertThat(write(stamper, "one\ntwo\n", T1))
                .isEqualTo("2026-12-03T10:38:50.123456Z 01O one\n2026-12-03T10:38:50.123456Z 01O two\n");
        assertThat(write(new LineTimestamper(15, 'E'), "x\n", T2)).isEqualTo("2026-12-03T10:38:51.000001Z 0fE x\n");
    }

    @Test
    void aPartialLineIsHeldWithTheTimeItStartedUntilItsNewline() {
        LineTimestamper stamper = new LineTimestamper(1, 'O');
        assertThat(write(stamper, "Downloading", T1)).isEmpty();
        assertThat(write(stamper, " done\nnext", T2)).isEqualTo("2026-12-03T10:38:50.123456Z 01O Downloading done\n");
        assertThat(new String(stamper.close(), StandardCharsets.UTF_8))
                .isEqualTo("2026-12-03T10:38:51.000001Z 01O next\n");
        assertThat(stamper.close()).isEmpty();
    }

    @Test
    void aWriteWithACarriageReturnIsFlushedAndTheNextLineContinuesIt() {
        LineTimestamper stamper = new LineTimestamper(0, 'O');
        assertThat(write(stamper, "section_start:1764758330:get_sources\r\033[0K", T1))
                .isEqualTo("2026-12-03T10:38:50.123456Z 00O section_start:1764758330:get_sources\r\033[0K\n");
        assertThat(write(stamper, "\033[0KGetting source\033[0;m\n", T1))
                .isEqualTo("2026-12-03T10:38:50.123456Z 00O+\033[0KGetting source\033[0;m\n");
        assertThat(write(stamper, "after\n", T1)).isEqualTo("2026-12-03T10:38:50.123456Z 00O after\n");
    }

    @Test
    void aProgressBarAfterANewlineIsFlushedWhole() {
        LineTimestamper stamper = new LineTimestamper(1, 'O');
        assertThat(write(stamper, "start\n 10%\r 20%\r", T1))
                .isEqualTo("2026-12-03T10:38:50.123456Z 01O start\n2026-12-03T10:38:50.123456Z 01O  10%\r 20%\r\n");
    }

    @Test
    void aLineLongerThanTheBufferIsCutAndContinued() {
        LineTimestamper stamper = new LineTimestamper(1, 'O');
        String big = "y".repeat(LineTimestamper.BUFFER_SIZE + 1);
        assertThat(write(stamper, big, T1)).isEqualTo("2026-12-03T10:38:50.123456Z 01O " + big + "\n");
        assertThat(write(stamper, "end\n", T2)).isEqualTo("2026-12-03T10:38:51.000001Z 01O+end\n");
    }
}
