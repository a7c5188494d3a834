package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code *_overwrite_allowed} job overrides, as gitlab-runner's {@code executors/kubernetes/overwrites.go}: a
 * job's {@code KUBERNETES_SERVICE_ACCOUNT_OVERWRITE} replaces the ServiceAccount, and each
 * {@code KUBERNETES_POD_LABELS_*}, {@code KUBERNETES_POD_ANNOTATIONS_*}, {@code KUBERNETES_NODE_SELECTOR_*}
 * ({@code key=value}) and {@code KUBERNETES_NODE_TOLERATIONS_*} ({@code key=value:Effect}) adds or replaces one entry,
 * but only when the fleet sets the matching regular expression and the value matches it (found anywhere in the
 * value, as Go's {@code MatchString}). No expression: the variables are ignored. A value that does not match refuses
 * the job with gitlab-runner's words.
 */
final class JobOverrides {
    static final String SERVICE_ACCOUNT = "KUBERNETES_SERVICE_ACCOUNT_OVERWRITE";
    static final String POD_LABELS = "KUBERNETES_POD_LABELS_";
    static final String POD_ANNOTATIONS = "KUBERNETES_POD_ANNOTATIONS_";
    static final String NODE_SELECTOR = "KUBERNETES_NODE_SELECTOR_";
    static final String NODE_TOLERATIONS = "KUBERNETES_NODE_TOLERATIONS_";

    private JobOverrides() {}

    /** The executor with the job's allowed overrides applied; the same executor when none applies. */
    static ExecutorSpec apply(ExecutorSpec executor, JobVariables variables) {
        ExecutorSpec.Builder builder = executor.toBuilder();
        String account = variables.value(SERVICE_ACCOUNT).orElse("");
        if (executor.serviceAccountOverwriteAllowed() != null && !account.isEmpty()) {
            check(
                    executor.serviceAccountOverwriteAllowed(),
                    "serviceAccountOverwriteAllowed",
                    SERVICE_ACCOUNT,
                    account,
                    variables);
            builder.serviceAccountName(account);
        }
        builder.podLabels(map(
                executor.podLabels(),
                executor.podLabelsOverwriteAllowed(),
                "podLabelsOverwriteAllowed",
                POD_LABELS,
                variables,
                JobOverrides::keyValue));
        builder.podAnnotations(map(
                executor.podAnnotations(),
                executor.podAnnotationsOverwriteAllowed(),
                "podAnnotationsOverwriteAllowed",
                POD_ANNOTATIONS,
                variables,
                JobOverrides::keyValue));
        builder.nodeSelector(map(
                executor.nodeSelector(),
                executor.nodeSelectorOverwriteAllowed(),
                "nodeSelectorOverwriteAllowed",
                NODE_SELECTOR,
                variables,
                JobOverrides::keyValue));
        if (executor.nodeTolerationsOverwriteAllowed() != null) {
            builder.tolerations(tolerations(executor, variables));
        }
        return builder.build();
    }

    private static Map<String, String> map(
            Map<String, String> base,
            String regex,
            String field,
            String prefix,
            JobVariables variables,
            Function<String, String[]> split) {
        if (regex == null) {
            return base;
        }
        Map<String, String> result = new LinkedHashMap<>(base);
        for (JobVariables.Variable variable : variables.all()) {
            if (variable.key().startsWith(prefix)) {
                check(regex, field, variable.key(), variable.value(), variables);
                String[] entry = split.apply(variable.value());
                if (entry == null) {
                    throw new JobPodException("variable " + variable.key() + ": provided value "
                            + printable(variable, variables) + " does not match \"k=v\"");
                }
                result.put(entry[0], entry[1]);
            }
        }
        return result;
    }

    /** gitlab-runner's {@code splitToleration}: {@code key=value:Effect}, the effect optional. */
    private static List<Toleration> tolerations(ExecutorSpec executor, JobVariables variables) {
        Map<String, String> byKey = new LinkedHashMap<>();
        List<Toleration> result = new ArrayList<>(executor.tolerations());
        for (JobVariables.Variable variable : variables.all()) {
            if (variable.key().startsWith(NODE_TOLERATIONS)) {
                check(
                        executor.nodeTolerationsOverwriteAllowed(),
                        "nodeTolerationsOverwriteAllowed",
                        variable.key(),
                        variable.value(),
                        variables);
                String[] parts = variable.value().split(":", 2);
                byKey.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        byKey.forEach((keyValue, effect) -> {
            String[] kv = keyValue.split("=", 2);
            Toleration.TaintEffect taint;
            try {
                taint = effect.isEmpty() ? null : Toleration.TaintEffect.valueOf(effect);
            } catch (IllegalArgumentException e) {
                throw new JobPodException("variable " + NODE_TOLERATIONS + "*: effect \"" + effect + "\" is not "
                        + "NoSchedule, PreferNoSchedule or NoExecute");
            }
            result.removeIf(t -> kv[0].equals(t.key()));
            result.add(new Toleration(
                    kv[0],
                    kv.length > 1 ? Toleration.TolerationOperator.Equal : Toleration.TolerationOperator.Exists,
                    kv.length > 1 ? kv[1] : null,
                    taint));
        });
        return result;
    }

    private static String[] keyValue(String value) {
        String[] split = value.split("=", 2);
        return split.length > 1 ? split : null;
    }

    /**
     * gitlab-runner's {@code overwriteRegexCheck}: the value must match {@code spec.executor.<field>}, else the job is
     * refused naming the variable and the field; a secret value is never quoted.
     */
    static void check(String regex, String field, String variable, String value, JobVariables variables) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new JobPodException("spec.executor." + field + " is not a regular expression: " + e.getDescription());
        }
        if (!pattern.matcher(value).find()) {
            throw new JobPodException("variable " + variable + ": provided value "
                    + (variables.isSecret(variable) ? "(masked)" : "\"" + value + "\"") + " does not match \""
                    + regex + "\" (spec.executor." + field + ")");
        }
    }

    private static String printable(JobVariables.Variable variable, JobVariables variables) {
        return variables.isSecret(variable.key()) ? "(masked)" : "\"" + variable.value() + "\"";
    }
}
