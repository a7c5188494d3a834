package io.runnerfleet.config;

import io.runnerfleet.api.v1alpha1.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** gitlab-runner writes tolerations as {@code "key=value" = "Effect"} (Equal) or {@code "key" = "Effect"} (Exists). */
final class TolerationsToml {
    private TolerationsToml() {}

    static Map<String, Object> toToml(List<Toleration> tolerations) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Toleration toleration : tolerations) {
            String key = toleration.key() == null ? "" : toleration.key();
            boolean exists = toleration.operator() == Toleration.TolerationOperator.Exists;
            String entry = exists || toleration.value() == null ? key : key + "=" + toleration.value();
            map.put(
                    entry,
                    toleration.effect() == null ? "" : toleration.effect().name());
        }
        return map;
    }

    static List<Toleration> fromToml(Map<?, ?> map) {
        List<Toleration> tolerations = new ArrayList<>();
        map.forEach((rawKey, rawEffect) -> {
            String key = String.valueOf(rawKey);
            String effectName = String.valueOf(rawEffect);
            Toleration.TaintEffect effect = effectName.isEmpty() ? null : Toleration.TaintEffect.valueOf(effectName);
            int equals = key.indexOf('=');
            if (equals >= 0) {
                tolerations.add(new Toleration(
                        key.substring(0, equals),
                        Toleration.TolerationOperator.Equal,
                        key.substring(equals + 1),
                        effect));
            } else {
                tolerations.add(
                        new Toleration(key.isEmpty() ? null : key, Toleration.TolerationOperator.Exists, null, effect));
            }
        });
        return tolerations;
    }
}
