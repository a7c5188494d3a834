package io.runnerfleet.cli;

import io.runnerfleet.base.BuildInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Prints the version of runner-fleet.")
final class VersionCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("runner-fleet " + BuildInfo.version());
        return Main.EXIT_OK;
    }
}
