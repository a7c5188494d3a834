package io.runnerfleet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "manager", description = "Runs GitLab jobs as Job Pods: polls GitLab, streams logs, reports results; metrics on :9252.")
final class ManagerCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    private java.util.List<String> ignored;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("runner-fleet manager: not implemented yet");
        return Main.EXIT_FAILURE;
    }
}
