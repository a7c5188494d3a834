package io.runnerfleet.base;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Bad input from a user: names the source (a file), each field path and what is expected. The CLI turns it into
 * exit status 2 with this message and no stack trace.
 */
public class InvalidInputException extends RuntimeException {
    private final String source;
    private final List<FieldProblem> problems;

    public InvalidInputException(String source, List<FieldProblem> problems) {
        super(format(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public InvalidInputException(String source, String path, String message) {
        this(source, List.of(new FieldProblem(path, message)));
    }

    public String source() {
        return source;
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    private static String format(String source, List<FieldProblem> problems) {
        if (problems.size() == 1) {
            return source + ": " + problems.get(0);
        }
        return source + ": " + problems.size() + " problems:\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    }
}
