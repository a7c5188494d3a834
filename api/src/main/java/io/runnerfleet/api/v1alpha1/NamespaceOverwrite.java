package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Where a job may move its pod with {@code KUBERNETES_NAMESPACE_OVERWRITE}: gitlab-runner's
 * {@code namespace_overwrite_allowed} ({@code pattern}) plus the namespaces the operator grants the managers RBAC in
 * ({@code allowed}), which gitlab-runner does not need because it brings its own credentials.
 */
public record NamespaceOverwrite(
        @JsonPropertyDescription("Namespaces a job's `KUBERNETES_NAMESPACE_OVERWRITE` may name (DNS labels). The "
                + "operator creates the managers' job Role and RoleBinding in each, and removes them when a namespace "
                + "leaves the list. The executor's own namespace is always allowed.")
        @Size(max = 64)
        List<String> allowed,

        @JsonPropertyDescription("Regular expression the namespace a job asks for must match (gitlab-runner's "
                + "`namespace_overwrite_allowed`, Go syntax, found anywhere in the value); a value that does not "
                + "match fails the job. Unset: the list alone decides.")
        String pattern) {

    public NamespaceOverwrite {
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
        pattern = pattern == null || pattern.isEmpty() ? null : pattern;
    }

    public static NamespaceOverwrite none() {
        return new NamespaceOverwrite(List.of(), null);
    }

    /** Neither a list nor an expression: a job's {@code KUBERNETES_NAMESPACE_OVERWRITE} is ignored. */
    @JsonIgnore
    public boolean isNone() {
        return allowed.isEmpty() && pattern == null;
    }
}
