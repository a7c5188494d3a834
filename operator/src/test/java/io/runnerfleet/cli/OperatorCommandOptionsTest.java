package io.runnerfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.operator.OperatorOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The CLI's options are the declared {@link OperatorOption}s, with their defaults. */
class OperatorCommandOptionsTest {
    @Test
    void everyDeclaredOptionExistsWithItsDefault() {
        CommandSpec spec = new CommandLine(new OperatorCommand()).getCommandSpec();
        spec.commandLine().parseArgs();

        for (OperatorOption option : OperatorOption.values()) {
            assertThat(spec.findOption(option.flag())).as(option.flag()).isNotNull();
        }
        assertThat(spec.findOption("--watch-namespaces").<String>getValue()).isEmpty();
        assertThat(spec.findOption("--health-port").<Integer>getValue()).isEqualTo(8080);
        assertThat(spec.findOption("--log-level").<String>getValue()).isEqualTo("INFO");
        assertThat(spec.findOption("--manager-image").<String>getValue())
                .isEqualTo(OperatorDefaults.forThisBuild().managerImage());
        assertThat(spec.findOption("--leader-election").<Boolean>getValue()).isFalse();
        assertThat(spec.findOption("--resync-interval").<Duration>getValue()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void givenValuesWin() {
        CommandSpec spec = new CommandLine(new OperatorCommand()).getCommandSpec();
        spec.commandLine()
                .parseArgs(
                        "--leader-election",
                        "--health-port",
                        "-1",
                        "--resync-interval",
                        "PT1M",
                        "--manager-image",
                        "registry.example.com:5000/rf:1");

        assertThat(spec.findOption("--leader-election").<Boolean>getValue()).isTrue();
        assertThat(spec.findOption("--health-port").<Integer>getValue()).isEqualTo(-1);
        assertThat(spec.findOption("--resync-interval").<Duration>getValue()).isEqualTo(Duration.ofMinutes(1));
        assertThat(spec.findOption("--manager-image").<String>getValue()).isEqualTo("registry.example.com:5000/rf:1");
    }
}
