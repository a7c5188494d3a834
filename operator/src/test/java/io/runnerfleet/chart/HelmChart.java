package io.runnerfleet.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The chart under {@code charts/runner-fleet}, rendered by the real Helm library. */
final class HelmChart {
    static final Path DIR =
            Path.of("..", "charts", "runner-fleet").toAbsolutePath().normalize();
    static final String NAMESPACE = "runner-fleet-system";

    private HelmChart() {}

    static String template(Map<String, Object> values) {
        TemplateCommand command =
                new Helm(DIR).template().withName("runner-fleet").withNamespace(NAMESPACE);
        values.forEach(command::set);
        return command.call();
    }

    /** The chart rendered with one of its example values files (under {@code examples/}). */
    static String templateWithValuesFile(Path valuesFile) {
        return new Helm(DIR)
                .template()
                .withName("runner-fleet")
                .withNamespace(NAMESPACE)
                .withValuesFile(valuesFile)
                .call();
    }

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && node.isObject() && node.size() > 0) {
                    documents.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }
}
