package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KubernetesLogFiles#SCRIPT}, what each read of the build's log file runs in the helper, run by {@code sh}
 * against files in a temporary directory: the bytes at an offset, the header and exit statuses the reader tells apart, and the
 * markers the helper's script waits on.
 */
class LogFileReadScriptTest {
    @TempDir
    Path dir;

    record Read(int status, String output) {}

    private Read read(long offset, int chunk) throws Exception {
        Process p = new ProcessBuilder(
                        "/bin/sh",
                        "-c",
                        KubernetesLogFiles.SCRIPT,
                        "read-log",
                        dir.resolve("build.log").toString(),
                        Long.toString(offset),
                        Integer.toString(chunk),
                        dir.resolve("build-exit-code").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Read(p.exitValue(), out);
    }

    @Test
    void noFileYetIsFourAndTheImageThatCannotTeeIsThree() throws Exception {
        assertThat(read(0, 16).status()).isEqualTo(4);
        Files.writeString(dir.resolve("build.log.unavailable"), "");
        assertThat(read(0, 16).status()).isEqualTo(3);
        assertThat(dir.resolve("build.log.reader")).doesNotExist();
    }

    @Test
    void whileTheBuildRunsAReadBringsTheBytesAtItsOffsetAndAnnouncesTheReader() throws Exception {
        Files.writeString(dir.resolve("build.log"), "line 1\nline 2\npartial");

        assertThat(read(7, 4)).isEqualTo(new Read(0, "running\nline"));
        assertThat(read(14, 100)).isEqualTo(new Read(0, "running\npartial"));
        assertThat(read(21, 100)).isEqualTo(new Read(0, "running\n"));

        assertThat(Files.readAllLines(dir.resolve("build.log.reader"))).containsExactly("7", "14", "21");
        assertThat(dir.resolve("build.log.read")).doesNotExist();
    }

    @Test
    void onceTheBuildEndedReadsSayItAndOnlyTheReadAtTheEndLetsTheHelperGo() throws Exception {
        Files.writeString(dir.resolve("build.log"), "line 1\nlast words");
        Files.writeString(dir.resolve("build-exit-code"), "0\n");

        assertThat(read(0, 7)).isEqualTo(new Read(0, "ended\nline 1\n"));
        assertThat(read(7, 100)).isEqualTo(new Read(0, "ended\nlast words"));
        assertThat(dir.resolve("build.log.read"))
                .as("bytes were still on their way")
                .doesNotExist();
        assertThat(read(17, 100)).isEqualTo(new Read(0, "ended\n"));
        assertThat(dir.resolve("build.log.read")).exists();
    }
}
