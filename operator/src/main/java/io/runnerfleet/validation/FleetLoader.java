package io.runnerfleet.validation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.base.TextFiles;
import io.runnerfleet.yaml.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RunnerFleet manifests from a file the way the API server would take them: schema first (walking the
 * generated CRD, defaults applied), then the CRD's CEL rules, then the checks the schema cannot express. Each
 * problem names the file and the field. Token Secrets in the same file are accepted and skipped.
 */
public final class FleetLoader {
    private static final String CRD_RESOURCE = "META-INF/fabric8/" + RunnerFleet.CRD_NAME + "-v1.yml";
    private static final ObjectMapper READER = new YAMLMapper();
    private static final List<String> TOP_LEVEL_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status");

    private final SchemaValidator schemaValidator;

    public FleetLoader() {
        this.schemaValidator = new SchemaValidator(loadSchema(), CelRuleChecks.forRunnerFleet());
    }

    /** The {@code openAPIV3Schema} of the generated CRD, from the api jar. */
    public static JsonNode loadSchema() {
        try (InputStream in = FleetLoader.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CRD_RESOURCE + " is missing from the classpath; build the api module");
            }
            return READER.readTree(in)
                    .path("spec")
                    .path("versions")
                    .get(0)
                    .path("schema")
                    .path("openAPIV3Schema");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<RunnerFleet> load(Path file) {
        return load(file.toString(), TextFiles.read(file));
    }

    public List<RunnerFleet> load(String source, String text) {
        List<RunnerFleet> fleets = new ArrayList<>();
        List<JsonNode> documents = parseDocuments(source, text);
        for (int i = 0; i < documents.size(); i++) {
            JsonNode document = documents.get(i);
            String where = documents.size() > 1 ? "document " + (i + 1) + ": " : "";
            if (isSecret(document)) {
                continue;
            }
            fleets.add(toFleet(source, where, document));
        }
        if (fleets.isEmpty()) {
            throw new InvalidInputException(
                    source,
                    "kind",
                    "no RunnerFleet found; expected a document with " + "apiVersion: " + RunnerFleet.API_VERSION
                            + " and kind: " + RunnerFleet.KIND);
        }
        return fleets;
    }

    private RunnerFleet toFleet(String source, String where, JsonNode document) {
        if (!document.isObject()) {
            throw new InvalidInputException(source, where + "(document)", "expected a RunnerFleet object");
        }
        String kind = document.path("kind").asText("");
        if (!RunnerFleet.KIND.equals(kind)) {
            throw new InvalidInputException(
                    source,
                    where + "kind",
                    kind.isEmpty()
                            ? "is missing; expected " + RunnerFleet.KIND
                            : "\"" + kind + "\" is not " + RunnerFleet.KIND
                                    + " (only RunnerFleet and its token Secret belong in a fleet file)");
        }
        String apiVersion = document.path("apiVersion").asText("");
        if (!RunnerFleet.API_VERSION.equals(apiVersion)) {
            throw new InvalidInputException(
                    source,
                    where + "apiVersion",
                    (apiVersion.isEmpty() ? "is missing" : "\"" + apiVersion + "\" is not served") + "; expected "
                            + RunnerFleet.API_VERSION);
        }
        ObjectNode object = (ObjectNode) document.deepCopy();
        List<FieldProblem> problems = new ArrayList<>(checkTopLevel(object));
        JsonNode spec = object.get("spec");
        if (spec == null || spec.isNull()) {
            problems.add(new FieldProblem("spec", "is required"));
        } else {
            problems.addAll(schemaValidator.validate(spec, "spec"));
        }
        // status belongs to the operator; the API server ignores it on create, and so do we.
        object.remove("status");
        prefix(problems, where);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(source, problems);
        }
        RunnerFleet fleet;
        try {
            fleet = Yaml.STRICT_MAPPER.treeToValue(object, RunnerFleet.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, where + pathOf(e), e.getOriginalMessage());
        }
        if (fleet.getMetadata().getNamespace() == null) {
            fleet.getMetadata().setNamespace("default");
        }
        List<FieldProblem> semantic = new ArrayList<>(FleetSemantics.check(fleet));
        prefix(semantic, where);
        if (!semantic.isEmpty()) {
            throw new InvalidInputException(source, semantic);
        }
        return fleet;
    }

    private static List<FieldProblem> checkTopLevel(ObjectNode object) {
        List<FieldProblem> problems = new ArrayList<>();
        object.fieldNames().forEachRemaining(field -> {
            if (!TOP_LEVEL_FIELDS.contains(field)) {
                problems.add(new FieldProblem(
                        field, "unknown field; a RunnerFleet has only " + String.join(", ", TOP_LEVEL_FIELDS)));
            }
        });
        JsonNode metadata = object.path("metadata");
        if (!metadata.isObject()) {
            problems.add(new FieldProblem("metadata", "is required, with at least a name"));
        } else {
            for (String field : List.of("name", "namespace")) {
                if (metadata.has(field) && !metadata.get(field).isTextual()) {
                    problems.add(new FieldProblem("metadata." + field, "expected a string"));
                }
            }
        }
        return problems;
    }

    private static void prefix(List<FieldProblem> problems, String where) {
        if (!where.isEmpty()) {
            problems.replaceAll(p -> new FieldProblem(where + p.path(), p.message()));
        }
    }

    private static List<JsonNode> parseDocuments(String source, String text) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = READER.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String at = location == null
                    ? "(document)"
                    : "line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw new InvalidInputException(source, at, "malformed YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(source, "(file)", "cannot be read: " + e.getMessage());
        }
        return documents;
    }

    private static boolean isSecret(JsonNode document) {
        return "Secret".equals(document.path("kind").asText())
                && "v1".equals(document.path("apiVersion").asText());
    }

    private static String pathOf(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var reference : mismatch.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                } else {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            return path.toString();
        }
        return "(document)";
    }
}
