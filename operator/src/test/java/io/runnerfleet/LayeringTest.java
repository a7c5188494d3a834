package io.runnerfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rule of docs/architecture.md: a package may import only packages on lower layers. The layers are read
 * from the table in that document, so the rule and its description cannot drift apart.
 */
class LayeringTest {
    private static final Path ARCHITECTURE = Path.of("..", "docs", "architecture.md");
    private static final List<Path> SOURCES =
            List.of(Path.of("src", "main", "java"), Path.of("..", "api", "src", "main", "java"));
    private static final String ROOT = "io.runnerfleet.";
    private static final Pattern LAYER_ROW = Pattern.compile("^\\| (\\d+) \\| (`[a-z0-9.]+`(, `[a-z0-9.]+`)*) \\|$");
    private static final Pattern PACKAGE = Pattern.compile("^package ([a-z0-9.]+);", Pattern.MULTILINE);
    /** A reference to one of our classes: the package is everything before the first capitalised segment. */
    private static final Pattern REFERENCE =
            Pattern.compile("io\\.runnerfleet\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)" + "\\.[A-Z][A-Za-z0-9_]*");

    @Test
    void noPackageImportsOneItMayNot() throws IOException {
        Map<String, Integer> layers = layers();
        List<String> violations = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .forEach(f -> violations.addAll(violations(f.toString(), read(f), layers)));
            }
        }
        assertThat(violations)
                .as("imports against the layers of docs/architecture.md")
                .isEmpty();
    }

    @Test
    void anImportFromAHigherLayerIsNamedWithItsFile() {
        Map<String, Integer> layers = Map.of("jobpod", 4, "fleet", 6);
        String source = """
                package io.runnerfleet.jobpod;

                import io.runnerfleet.fleet.FleetReconciler;
                """;

        assertThat(violations("JobPodBuilder.java", source, layers))
                .containsExactly("JobPodBuilder.java imports "
                        + "io.runnerfleet.fleet.FleetReconciler: jobpod (layer 4) may import only lower layers; fleet is on "
                        + "layer 6");
    }

    private static List<String> violations(String file, String source, Map<String, Integer> layers) {
        Matcher declared = PACKAGE.matcher(source);
        assertThat(declared.find()).as("%s declares a package", file).isTrue();
        String own = declared.group(1).substring(ROOT.length());
        Integer ownLayer = layers.get(own);
        if (ownLayer == null) {
            return List.of(file + ": package " + own + " is not in the table of docs/architecture.md");
        }
        List<String> found = new ArrayList<>();
        Matcher reference = REFERENCE.matcher(withoutComments(source));
        while (reference.find()) {
            String target = reference.group(1);
            if (target.equals(own)) {
                continue;
            }
            Integer targetLayer = layers.get(target);
            String imported = reference.group();
            if (targetLayer == null) {
                found.add(file + " imports " + imported + ": package " + target
                        + " is not in the table of docs/architecture.md");
            } else if (targetLayer >= ownLayer) {
                found.add(file + " imports " + imported + ": " + own + " (layer " + ownLayer
                        + ") may import only lower layers; " + target + " is on layer " + targetLayer);
            }
        }
        return found;
    }

    /** Comments may name any class; only code counts. */
    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    private static Map<String, Integer> layers() throws IOException {
        Map<String, Integer> layers = new HashMap<>();
        for (String line : Files.readAllLines(ARCHITECTURE)) {
            Matcher row = LAYER_ROW.matcher(line);
            if (row.matches()) {
                int layer = Integer.parseInt(row.group(1));
                for (String name : row.group(2).split(", ")) {
                    layers.put(name.replace("`", ""), layer);
                }
            }
        }
        assertThat(layers).as("docs/architecture.md has a table of layers").isNotEmpty();
        return layers;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
