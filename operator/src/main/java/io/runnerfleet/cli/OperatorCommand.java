package io.runnerfleet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "operator", description = "Reconciles RunnerFleet resources into manager Deployments and everything they need.")
final class OperatorCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    private java.util.List<String> ignored;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("runner-fleet operator: not implemented yet");
        return Main.EXIT_FAILURE;
    }
}
