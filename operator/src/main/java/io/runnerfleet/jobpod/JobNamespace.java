package io.runnerfleet.jobpod;

import java.util.List;

/**
 * Where a job's pod runs: the executor's namespace, or the job's {@code KUBERNETES_NAMESPACE_OVERWRITE} when the fleet
 * allows it. gitlab-runner ({@code executors/kubernetes/overwrites.go}, {@code createOverwrites} and
 * {@code evaluateOverwrite}) takes the variable when {@code namespace_overwrite_allowed} is a non-empty regular
 * expression the value matches (found anywhere, as Go's {@code MatchString}), ignores it when the expression is
 * empty, and fails the job when the value does not match.
 *
 * <p>Deliberate difference: a manager may only create pods where the operator granted it RBAC, so the value must also
 * be one of the namespaces the fleet lists ({@code allowed}); a regular expression alone (as imported from
 * gitlab-runner) allows none, and the refusal says to list the namespace. The executor's own namespace is always
 * allowed: the manager's RBAC is there anyway.
 *
 * <p>{@link JobPodBuilder} resolves it once per job (the pod and its Secrets go there, and the manager follows and
 * cleans them up there); the operator grants the managers RBAC in each listed namespace.
 */
public final class JobNamespace {
    public static final String VARIABLE = "KUBERNETES_NAMESPACE_OVERWRITE";

    /**
     * What the fleet allows.
     *
     * @param pattern gitlab-runner's {@code namespace_overwrite_allowed}; null or empty for none
     * @param allowed the namespaces the operator grants the managers RBAC in, besides the executor's
     */
    public record Overwrite(String pattern, List<String> allowed) {
        public static final Overwrite NONE = new Overwrite(null, List.of());

        public Overwrite {
            pattern = pattern == null ? "" : pattern;
            allowed = allowed == null ? List.of() : List.copyOf(allowed);
        }

        /** gitlab-runner's "disabling override": neither an expression nor a list. */
        boolean disabled() {
            return pattern.isEmpty() && allowed.isEmpty();
        }
    }

    private JobNamespace() {}

    /**
     * The namespace of the job's pod.
     *
     * @throws JobPodException when the job asks for a namespace the fleet does not allow, naming the variable, the
     *     field and the fix; a secret value is never quoted
     */
    public static String resolve(String executorNamespace, Overwrite overwrite, JobVariables variables) {
        String wanted = variables.value(VARIABLE).orElse("");
        if (overwrite.disabled() || wanted.isEmpty()) {
            return executorNamespace;
        }
        if (!overwrite.pattern().isEmpty()) {
            JobOverrides.check(overwrite.pattern(), "namespaceOverwrite.pattern", VARIABLE, wanted, variables);
        }
        String shown = variables.isSecret(VARIABLE) ? "(masked)" : "\"" + wanted + "\"";
        if (!wanted.equals(executorNamespace) && !overwrite.allowed().contains(wanted)) {
            throw new JobPodException("variable " + VARIABLE + ": namespace " + shown + " is not in "
                    + "spec.executor.namespaceOverwrite.allowed " + overwrite.allowed() + "; the managers may only "
                    + "create Job Pods where the operator grants them RBAC: add it to the list");
        }
        return wanted;
    }
}
