package io.runnerfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench/compare}, which {@code bench/run} uses to print each figure beside the previous run's. */
class BenchCompareTest {
    @TempDir
    Path dir;

    @Test
    void eachFigureIsPrintedBesideTheEarlierOneWithTheirRatio() throws Exception {
        Path before = write("before.txt", "# header", "dispatch_rate_median=40.0 pods/s", "gone_figure=3 s");
        Path now = write("now.txt", "# header", "dispatch_rate_median=100.0 pods/s", "new_figure=7 jobs");

        Result result = compare(before, now);

        assertThat(result.exit()).isZero();
        assertThat(result.lines())
                .anySatisfy(l -> assertThat(l.split("\\s+"))
                        .containsExactly("dispatch_rate_median", "100.0", "pods/s", "40.0", "pods/s", "2.50x"))
                .anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("new_figure", "7", "jobs", "-", "-"))
                .anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("gone_figure", "-", "3", "s", "-"))
                .noneSatisfy(l -> assertThat(l).contains("header"));
    }

    @Test
    void aMissingFileIsExitTwoNamingIt() throws Exception {
        Result result = compare(dir.resolve("absent.txt"), write("now.txt", "a=1 s"));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.lines()).anySatisfy(l -> assertThat(l).contains("absent.txt"));
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    private record Result(int exit, List<String> lines) {}

    private static Result compare(Path before, Path now) throws Exception {
        Process process = new ProcessBuilder("bash", "../bench/compare", before.toString(), now.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output.lines().toList());
    }
}
