package io.runnerfleet.base;

/** One thing wrong with an input, at a field path such as {@code spec.executor.dns.nameservers[3]}. */
public record FieldProblem(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
