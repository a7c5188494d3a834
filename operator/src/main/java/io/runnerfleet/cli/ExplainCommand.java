package io.runnerfleet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "explain", description = "Prints for a human what a fleet (and a job) become: capacity, resources, DNS, warnings.")
final class ExplainCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    private java.util.List<String> ignored;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("runner-fleet explain: not implemented yet");
        return Main.EXIT_FAILURE;
    }
}
