package io.runnerfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.BadFleets;
import io.runnerfleet.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad fleet of {@link BadFleets} exits 2 with one message naming the file, the field and what is expected; never
 * a stack trace.
 */
class BadInputTest {
    @TempDir
    Path dir;

    static Stream<Arguments> badFleets() {
        return BadFleets.offline();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFleets")
    void badFleetExitsTwoNamingTheFileAndField(String name, String yaml, String field, String expected)
            throws IOException {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, yaml);

        Cli.Result result = Cli.run("render", "-f", file.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains(file.toString()).contains(field).contains(expected);
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theTableHoldsAtLeastFiftyDistinctMistakes() {
        // Issue #18: fifty real mistakes, not one mistake fifty times.
        assertThat(BadFleets.CASES).hasSizeGreaterThanOrEqualTo(50);
        assertThat(BadFleets.CASES).extracting(BadFleets.Case::name).doesNotHaveDuplicates();
        assertThat(BadFleets.CASES).extracting(BadFleets.Case::yaml).doesNotHaveDuplicates();
        assertThat(BadFleets.CASES).extracting(BadFleets.Case::yaml).doesNotContain(BadFleets.VALID);
    }

    @Test
    void theValidFleetOfTheseCasesRenders() throws IOException {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, BadFleets.VALID);
        assertThat(Cli.run("render", "-f", file.toString()).exitCode()).isZero();
    }

    @Test
    void missingFileIsBadInput() {
        Cli.Result result = Cli.run("render", "-f", dir.resolve("nope.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nope.yaml").contains("does not exist");
    }

    @Test
    void missingOptionIsBadInput() {
        Cli.Result result = Cli.run("render");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--filename");
    }

    @Test
    void aManagerWithAnS3CacheButNoCacheKeysExitsTwoNamingTheVariable() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                System.getenv("CACHE_S3_ACCESS_KEY") == null, "this JVM has cache keys in its environment");
        Path config = Files.writeString(dir.resolve("config.toml"), """
                concurrent = 1
                [[runners]]
                name = "cached"
                url = "http://127.0.0.1:9/"
                executor = "kubernetes"
                [runners.cache]
                Type = "s3"
                [runners.cache.s3]
                ServerAddress = "127.0.0.1:9000"
                BucketName = "cache"
                """);
        Path token = Files.writeString(dir.resolve("token"), "glrt-not-used-before-the-check");

        Cli.Result result = Cli.run("manager", "--config", config.toString(), "--token-file", token.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err())
                .contains("CACHE_S3_ACCESS_KEY", "credentialsSecret")
                .doesNotContain("glrt-");
    }
}
