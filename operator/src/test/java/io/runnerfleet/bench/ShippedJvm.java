package io.runnerfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags the operator's pod runs with, read from what ships, so that the benchmark measures exactly that:
 * the image's {@code JAVA_TOOL_OPTIONS} ({@code src/docker/Dockerfile}), then the chart's {@code jvmOptions}
 * (which the Deployment passes as {@code JDK_JAVA_OPTIONS}), and the container's memory limit
 * ({@code resources.limits.memory}) as {@code -XX:MaxRAM}, which is what the JVM's container support reads from the
 * cgroup in a pod. Paths are relative to {@code operator/}, the benchmarks' working directory.
 */
final class ShippedJvm {
    static final Path DOCKERFILE = Path.of("..", "src", "docker", "Dockerfile");
    static final Path CHART_VALUES = Path.of("..", "charts", "runner-fleet", "values.yaml");
    private static final Pattern TOOL_OPTIONS =
            Pattern.compile("^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"", Pattern.MULTILINE);

    private ShippedJvm() {}

    /** {@code -XX:MaxRAM=<limit>}, the image's options, the chart's operator options, in the order the JVM reads them. */
    static List<String> operatorFlags() throws IOException {
        List<String> flags = new ArrayList<>();
        JsonNode values = new YAMLMapper().readTree(CHART_VALUES.toFile());
        String limit = values.path("resources").path("limits").path("memory").asText();
        if (limit.isEmpty()) {
            throw new IllegalStateException(CHART_VALUES + ": no resources.limits.memory");
        }
        flags.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(new Quantity(limit)).longValueExact());
        flags.addAll(split(imageOptions()));
        flags.addAll(split(values.path("jvmOptions").asText()));
        return flags;
    }

    static String imageOptions() throws IOException {
        Matcher m = TOOL_OPTIONS.matcher(Files.readString(DOCKERFILE));
        if (!m.find()) {
            throw new IllegalStateException(DOCKERFILE + ": no ENV JAVA_TOOL_OPTIONS=\"...\"");
        }
        return m.group(1);
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
