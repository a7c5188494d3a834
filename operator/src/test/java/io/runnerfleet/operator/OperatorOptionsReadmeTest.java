package io.runnerfleet.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README.md's table of the operator's flags is the one {@link OperatorOption} declares. */
class OperatorOptionsReadmeTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String HEADER = "| flag | env | default | what it does |";

    @Test
    void readmeTableListsExactlyTheDeclaredOptions() throws IOException {
        assertThat(tableIn(Files.readAllLines(README)))
                .as(
                        "README.md's table of the operator's flags differs from OperatorOption; paste this:%n%s",
                        expectedTable())
                .isEqualTo(expectedTable());
    }

    private static String expectedTable() {
        return HEADER + "\n|---|---|---|---|\n"
                + Arrays.stream(OperatorOption.values())
                        .map(o -> "| `" + o.flag() + (o.paramLabel() == null ? "" : "=" + o.paramLabel()) + "` | `"
                                + o.env() + "` | " + o.defaultText() + " | " + o.description() + " |")
                        .collect(Collectors.joining("\n"));
    }

    private static String tableIn(List<String> readme) {
        int start = readme.indexOf(HEADER);
        assertThat(start).as("README.md has a table starting with %s", HEADER).isNotNegative();
        int end = start;
        while (end < readme.size() && readme.get(end).startsWith("|")) {
            end++;
        }
        return String.join("\n", readme.subList(start, end));
    }
}
