package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputLimiterTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void noticeIsGitLabsTextByteForByte() {
        assertThat(OutputLimiter.notice(12))
                .isEqualTo("\n\033[33;1mJob's log exceeded limit of 12 bytes.\n"
                        + "Job execution will continue but no more output will be collected.\033[0;m\n");
    }

    @Test
    void passesUntilTheCapThenCutsAddsTheNoticeAndDropsTheRest() {
        OutputLimiter limiter = new OutputLimiter(12);
        assertThat(s(limiter.write(b("hello ")))).isEqualTo("hello ");
        assertThat(limiter.truncated()).isFalse();
        assertThat(s(limiter.write(b("world, and more")))).isEqualTo("world," + OutputLimiter.notice(12));
        assertThat(limiter.truncated()).isTrue();
        assertThat(limiter.write(b("dropped"))).isEmpty();
        assertThat(limiter.written()).isEqualTo(12 + OutputLimiter.notice(12).length());
    }

    @Test
    void reachingTheCapExactlyAlsoTruncates() {
        OutputLimiter limiter = new OutputLimiter(5);
        assertThat(s(limiter.write(b("12345")))).isEqualTo("12345" + OutputLimiter.notice(5));
        assertThat(limiter.truncated()).isTrue();
    }

    @Test
    void neverCutsInsideAUtf8Character() {
        // "aé" is 3 bytes; a cap of 2 would split é
        OutputLimiter limiter = new OutputLimiter(2);
        assertThat(s(limiter.write(b("aé")))).isEqualTo("a" + OutputLimiter.notice(2));
        OutputLimiter emoji = new OutputLimiter(3);
        assertThat(s(emoji.write(b("😀x")))).isEqualTo(OutputLimiter.notice(3));
    }

    @Test
    void kibibytesAndTheDefault() {
        assertThat(OutputLimiter.ofKibibytes(0).limit()).isEqualTo(4096L * 1024);
        assertThat(OutputLimiter.ofKibibytes(1).limit()).isEqualTo(1024);
    }
}
