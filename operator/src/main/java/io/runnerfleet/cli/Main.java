package io.runnerfleet.cli;

import io.runnerfleet.base.BuildInfo;
import io.runnerfleet.base.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code runner-fleet}: one jar, one image, several subcommands (docs/architecture.md). */
@Command(
        name = "runner-fleet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs GitLab CI runner fleets on Kubernetes.",
        subcommands = {
            OperatorCommand.class,
            ManagerCommand.class,
            RenderCommand.class,
            ExplainCommand.class,
            ImportCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:failure", "2:bad input (the message names the file, the field and the fix)"})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI with the given streams; tests call this instead of {@link #main}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof InvalidInputException invalid) {
                cmd.getErr().println("error: " + invalid.getMessage());
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println("error: " + exception);
            return EXIT_FAILURE;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"runner-fleet " + BuildInfo.version()};
        }
    }
}
