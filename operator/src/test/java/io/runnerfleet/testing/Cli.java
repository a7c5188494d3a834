package io.runnerfleet.testing;

import io.runnerfleet.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code runner-fleet} CLI in-process and captures what it prints. */
public final class Cli {
    /** Exit status, standard output and standard error of one run. */
    public record Result(int exitCode, String out, String err) {}

    private Cli() {}

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
