package io.runnerfleet.base;

import io.runnerfleet.api.v1alpha1.NamespaceOverwrite;
import io.runnerfleet.api.v1alpha1.Patterns;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code spec.executor.namespaceOverwrite} must be, checked where it enters (a fleet file, the operator, a
 * {@code config.toml}) so that no job is the first to find out: each listed namespace a DNS label (a namespace name),
 * the expression one that compiles. The callers name the fields as their input spells them.
 */
public final class NamespaceOverwriteRules {
    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile(Patterns.DNS1123_LABEL);
    private static final int MAX_LABEL = 63;

    private NamespaceOverwriteRules() {}

    /**
     * @param allowedField where the list is, e.g. {@code spec.executor.namespaceOverwrite.allowed}
     * @param patternField where the expression is, e.g. {@code spec.executor.namespaceOverwrite.pattern}
     */
    public static List<FieldProblem> check(NamespaceOverwrite overwrite, String allowedField, String patternField) {
        List<FieldProblem> problems = new ArrayList<>();
        if (overwrite == null) {
            return problems;
        }
        for (int i = 0; i < overwrite.allowed().size(); i++) {
            String namespace = overwrite.allowed().get(i);
            if (namespace == null
                    || namespace.length() > MAX_LABEL
                    || !LABEL.matcher(namespace).matches()) {
                problems.add(new FieldProblem(
                        allowedField + "[" + i + "]",
                        "\"" + namespace + "\" is not a namespace name: at most 63 lower-case letters, digits and "
                                + "'-', starting and ending with a letter or digit"));
            }
        }
        if (overwrite.pattern() != null) {
            try {
                java.util.regex.Pattern.compile(overwrite.pattern());
            } catch (PatternSyntaxException e) {
                problems.add(new FieldProblem(
                        patternField,
                        "is not a regular expression (" + e.getDescription() + " near index " + e.getIndex()
                                + "); write one such as \"^ci-\", or leave it unset to let the list alone decide"));
            }
        }
        return problems;
    }
}
