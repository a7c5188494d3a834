package io.runnerfleet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "import", description = "Turns an existing gitlab-runner config.toml (and Helm values) into a RunnerFleet.")
final class ImportCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    private java.util.List<String> ignored;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("runner-fleet import: not implemented yet");
        return Main.EXIT_FAILURE;
    }
}
