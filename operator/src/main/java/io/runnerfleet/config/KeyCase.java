package io.runnerfleet.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts the keys of a free-form tree (the Kubernetes affinity) between camelCase and gitlab-runner's
 * snake_case. Label maps are user data, so keys under them are left as they are.
 */
final class KeyCase {
    private static final Set<String> VERBATIM_CHILDREN = Set.of("matchLabels", "match_labels");

    private KeyCase() {}

    static Object toSnake(Object tree) {
        return convert(tree, true);
    }

    static Object toCamel(Object tree) {
        return convert(tree, false);
    }

    private static Object convert(Object tree, boolean toSnake) {
        if (tree instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                String name = String.valueOf(key);
                Object converted = VERBATIM_CHILDREN.contains(name) ? value : convert(value, toSnake);
                out.put(toSnake ? snake(name) : camel(name), converted);
            });
            return out;
        }
        if (tree instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(convert(item, toSnake)));
            return out;
        }
        return tree;
    }

    static String snake(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
