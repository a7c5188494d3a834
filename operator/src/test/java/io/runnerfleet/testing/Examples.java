package io.runnerfleet.testing;

import java.nio.file.Path;

/** The repository's {@code examples/} folder, seen from the operator module's tests. */
public final class Examples {
    private Examples() {}

    public static Path path(String relative) {
        return Path.of("..", "examples").resolve(relative);
    }
}
