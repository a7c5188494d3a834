package io.runnerfleet.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.base.FieldProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a document against a CRD's structural OpenAPI v3 schema the way the API server does (types, unknown
 * fields, required, enums, patterns, bounds, sizes) and applies schema defaults. Walking the generated CRD itself,
 * rather than restating its rules, keeps offline {@code render} and the server in agreement.
 */
public final class SchemaValidator {
    private final JsonNode rootSchema;
    private final CelRuleChecks celRules;

    public SchemaValidator(JsonNode rootSchema, CelRuleChecks celRules) {
        this.rootSchema = rootSchema;
        this.celRules = celRules;
    }

    /**
     * Validates the value at {@code path} (e.g. {@code spec}) against the schema of that property, in place
     * (defaults are filled in), and returns what is wrong, in document order.
     */
    public List<FieldProblem> validate(JsonNode value, String path) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonNode schema = rootSchema;
        for (String segment : path.split("\\.")) {
            schema = schema.path("properties").path(segment);
        }
        walk(value, schema, path, problems);
        return problems;
    }

    private void walk(JsonNode value, JsonNode schema, String path, List<FieldProblem> problems) {
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(new FieldProblem(path, "must not be null; remove the field or give it a value"));
            }
            return;
        }
        String type = schema.path("type").asText("");
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isTextual() && !value.isIntegralNumber()) {
                problems.add(new FieldProblem(path, "expected an integer or a string, got " + describe(value)));
            }
            return;
        }
        switch (type) {
            case "object" -> walkObject(value, schema, path, problems);
            case "array" -> walkArray(value, schema, path, problems);
            case "string" -> checkString(value, schema, path, problems);
            case "integer" -> checkNumber(value, schema, path, problems, true);
            case "number" -> checkNumber(value, schema, path, problems, false);
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(new FieldProblem(path, "expected true or false, got " + describe(value)));
                }
            }
            default -> {
                // untyped (preserve-unknown) schema: anything goes
            }
        }
    }

    private void walkObject(JsonNode value, JsonNode schema, String path, List<FieldProblem> problems) {
        if (!value.isObject()) {
            problems.add(new FieldProblem(path, "expected an object (a map of fields), got " + describe(value)));
            return;
        }
        ObjectNode object = (ObjectNode) value;
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserveUnknown =
                schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);

        for (JsonNode required : schema.path("required")) {
            if (!object.has(required.asText())) {
                problems.add(new FieldProblem(join(path, required.asText()), "is required"));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String childPath = join(path, field.getKey());
            JsonNode propertySchema = properties.get(field.getKey());
            if (propertySchema != null) {
                walk(field.getValue(), propertySchema, childPath, problems);
            } else if (additional != null && additional.isObject()) {
                walk(field.getValue(), additional, childPath, problems);
            } else if (!preserveUnknown && !(additional != null && additional.asBoolean(false))) {
                problems.add(new FieldProblem(childPath, unknownFieldMessage(field.getKey(), properties)));
            }
        }
        applyDefaults(object, properties);
        checkSize(object.size(), schema, "minProperties", "maxProperties", "entries", path, problems);
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            if (!celRules.holds(rule, object)) {
                problems.add(new FieldProblem(path, rule.path("message").asText()));
            }
        }
    }

    private static void applyDefaults(ObjectNode object, JsonNode properties) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode defaultValue = property.getValue().get("default");
            if (defaultValue != null && !object.has(property.getKey())) {
                object.set(property.getKey(), defaultValue.deepCopy());
            }
        }
    }

    private void walkArray(JsonNode value, JsonNode schema, String path, List<FieldProblem> problems) {
        if (!value.isArray()) {
            problems.add(new FieldProblem(path, "expected a list, got " + describe(value)));
            return;
        }
        ArrayNode array = (ArrayNode) value;
        checkSize(array.size(), schema, "minItems", "maxItems", "items", path, problems);
        JsonNode items = schema.get("items");
        if (items != null) {
            for (int i = 0; i < array.size(); i++) {
                walk(array.get(i), items, path + "[" + i + "]", problems);
            }
        }
    }

    private static void checkString(JsonNode value, JsonNode schema, String path, List<FieldProblem> problems) {
        if (!value.isTextual()) {
            problems.add(new FieldProblem(
                    path,
                    "expected a string, got " + describe(value)
                            + (value.isNumber() ? "; quote it, e.g. \"" + value.asText() + "\"" : "")));
            return;
        }
        String text = value.asText();
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null) {
            List<String> allowed = new ArrayList<>();
            enumValues.forEach(e -> allowed.add(e.asText()));
            if (!allowed.contains(text)) {
                problems.add(new FieldProblem(
                        path, "\"" + text + "\" is not allowed; expected one of " + String.join(", ", allowed)));
                return;
            }
        }
        checkSize(text.length(), schema, "minLength", "maxLength", "characters", path, problems);
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && !Pattern.compile(pattern.asText()).matcher(text).find()) {
            problems.add(new FieldProblem(path, "\"" + text + "\" is not " + ValueSyntax.describe(pattern.asText())));
        }
    }

    private static void checkNumber(
            JsonNode value, JsonNode schema, String path, List<FieldProblem> problems, boolean integer) {
        if (integer ? !value.isIntegralNumber() : !value.isNumber()) {
            problems.add(new FieldProblem(
                    path, "expected " + (integer ? "an integer" : "a number") + ", got " + describe(value)));
            return;
        }
        double number = value.asDouble();
        JsonNode minimum = schema.get("minimum");
        if (minimum != null && number < minimum.asDouble()) {
            problems.add(new FieldProblem(path, value.asText() + " is below the minimum of " + minimum.asText()));
        }
        JsonNode maximum = schema.get("maximum");
        if (maximum != null && number > maximum.asDouble()) {
            problems.add(new FieldProblem(path, value.asText() + " is above the maximum of " + maximum.asText()));
        }
    }

    private static void checkSize(
            int size,
            JsonNode schema,
            String minKey,
            String maxKey,
            String unit,
            String path,
            List<FieldProblem> problems) {
        JsonNode min = schema.get(minKey);
        if (min != null && size < min.asInt()) {
            problems.add(
                    new FieldProblem(path, "has " + size + " " + unit + "; at least " + min.asInt() + " expected"));
        }
        JsonNode max = schema.get(maxKey);
        if (max != null && size > max.asInt()) {
            problems.add(new FieldProblem(path, "has " + size + " " + unit + "; at most " + max.asInt() + " allowed"));
        }
    }

    private static String unknownFieldMessage(String name, JsonNode properties) {
        TreeSet<String> known = new TreeSet<>();
        properties.fieldNames().forEachRemaining(known::add);
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
            if (distance < best) {
                best = distance;
                closest = candidate;
            }
        }
        String hint =
                closest != null && best <= Math.max(2, name.length() / 3) ? "; did you mean \"" + closest + "\"?" : "";
        return "unknown field" + hint + (known.isEmpty() ? "" : " Known fields: " + String.join(", ", known));
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "the string \"" + value.asText() + "\"";
        }
        return value.asText();
    }
}
