package io.runnerfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Each bad fleet exits 2 with one message naming the file, the field and what is expected; never a stack trace. */
class BadInputTest {
    private static final String VALID = """
            apiVersion: runnerfleet.io/v1alpha1
            kind: RunnerFleet
            metadata: {name: build-fleet, namespace: gitlab}
            spec:
              gitlab:
                url: http://gitlab.example.com/
                tokenSecretRef: {name: build-fleet-token}
              managers:
                replicas: 3
                concurrent: 10
              executor:
                build: {cpuLimit: "2", memoryLimit: 2Gi}
                dns:
                  policy: None
                  nameservers: [10.0.0.2]
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> badFleets() {
        return Stream.of(
                Arguments.of("malformed YAML", "spec: [unclosed\n  foo: {", "line ", "malformed YAML"),
                Arguments.of("wrong kind", VALID.replace("kind: RunnerFleet", "kind: Deployment"),
                        "kind", "\"Deployment\" is not RunnerFleet"),
                Arguments.of("wrong apiVersion", VALID.replace("runnerfleet.io/v1alpha1", "runnerfleet.io/v1"),
                        "apiVersion", "expected runnerfleet.io/v1alpha1"),
                Arguments.of("unknown field (typo)", VALID.replace("replicas: 3", "replica: 3"),
                        "spec.managers.replica", "did you mean \"replicas\""),
                Arguments.of("negative replicas", VALID.replace("replicas: 3", "replicas: -1"),
                        "spec.managers.replicas", "below the minimum of 0"),
                Arguments.of("bad quantity", VALID.replace("memoryLimit: 2Gi", "memoryLimit: 2Gx"),
                        "spec.executor.build.memoryLimit", "Kubernetes quantity"),
                Arguments.of("bad nameserver", VALID.replace("[10.0.0.2]", "[10.0.0.300]"),
                        "spec.executor.dns.nameservers[0]", "IPv4 or IPv6 address"),
                Arguments.of("four nameservers", VALID.replace("[10.0.0.2]", "[10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5]"),
                        "spec.executor.dns.nameservers", "at most 3 allowed"),
                Arguments.of("policy None without nameservers", VALID.replace("nameservers: [10.0.0.2]", "searches: [svc.cluster.local]"),
                        "spec.executor.dns", "dns.policy None needs at least one entry in dns.nameservers"),
                Arguments.of("request above limit", VALID.replace("cpuLimit: \"2\"", "cpuLimit: \"2\", cpuRequest: \"3\""),
                        "spec.executor.build.cpuRequest", "above spec.executor.build.cpuLimit"),
                Arguments.of("missing gitlab url", VALID.replace("url: http://gitlab.example.com/\n", ""),
                        "spec.gitlab.url", "is required"),
                Arguments.of("number where a string belongs", VALID.replace("cpuLimit: \"2\"", "cpuLimit: [2]"),
                        "spec.executor.build.cpuLimit", "expected a string"));
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
    void theValidFleetOfTheseCasesRenders() throws IOException {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, VALID);
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
}
