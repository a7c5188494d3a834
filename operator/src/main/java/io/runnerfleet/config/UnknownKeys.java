package io.runnerfleet.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes the keys the model does not know out of a config.toml table before it is read into the model, and records
 * each by its config.toml path (e.g. {@code runners[0].kubernetes.volumes.csi}): gitlab-runner keys runner-fleet
 * lacks are warnings, never a failed import or a manager that will not start. Walks the model's records (snake_case
 * component names, as {@link ExecutorTomlMapping} reads them); free-form values (maps of strings, affinity) are left
 * alone.
 */
final class UnknownKeys {
    private UnknownKeys() {}

    /**
     * The table without the keys {@code type} lacks, at any depth; each dropped key is added to {@code ignored}.
     *
     * @param path      the table's config.toml path
     * @param tomlNames model names (snake_case) to gitlab-runner's, where they differ, for the path
     */
    static Map<String, Object> known(
            Map<?, ?> tree, Class<?> type, String path, Map<String, String> tomlNames, List<String> ignored) {
        Map<String, RecordComponent> components = new HashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            components.put(KeyCase.snake(component.getName()), component);
        }
        Map<String, Object> known = new LinkedHashMap<>();
        tree.forEach((k, value) -> {
            String key = String.valueOf(k);
            String keyPath = path + "." + tomlNames.getOrDefault(key, key);
            RecordComponent component = components.get(key);
            if (component == null) {
                ignored.add(keyPath);
            } else {
                known.put(key, known(value, component.getType(), component.getGenericType(), keyPath, ignored));
            }
        });
        return known;
    }

    private static Object known(Object value, Class<?> type, Type genericType, String path, List<String> ignored) {
        if (value instanceof Map<?, ?> map && type.isRecord()) {
            return known(map, type, path, Map.of(), ignored);
        }
        if (value instanceof List<?> list
                && genericType instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element
                && element.isRecord()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                items.add(
                        list.get(i) instanceof Map<?, ?> item
                                ? known(item, element, path + "[" + i + "]", Map.of(), ignored)
                                : list.get(i));
            }
            return items;
        }
        return value;
    }
}
