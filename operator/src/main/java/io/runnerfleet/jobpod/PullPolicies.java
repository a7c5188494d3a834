package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.PullPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Which image pull policies a container gets: the image's own {@code pull_policy} wins over the executor's, then the
 * executor's {@code allowedPullPolicies} filter them (gitlab-runner's pull manager). The pod uses the first; the
 * rest are the fallbacks a manager tries after a pull failure.
 */
public final class PullPolicies {
    private PullPolicies() {}

    /**
     * @param what a name for messages, e.g. {@code image "alpine:3.20"}
     * @return the policies in order; empty means "the cluster's default" (no {@code imagePullPolicy})
     */
    public static List<PullPolicy> resolve(
            List<String> requested, List<PullPolicy> executor, List<PullPolicy> allowed, String what) {
        List<PullPolicy> wanted = new ArrayList<>();
        for (String value : requested) {
            try {
                PullPolicy policy = PullPolicy.fromValue(value.trim());
                if (!wanted.contains(policy)) {
                    wanted.add(policy);
                }
            } catch (IllegalArgumentException e) {
                throw new JobPodException(what + ": pull_policy \"" + ServiceHostnames.printable(value)
                        + "\" is unknown; use always, if-not-present or never");
            }
        }
        boolean fromJob = !wanted.isEmpty();
        if (!fromJob) {
            wanted.addAll(executor);
        }
        if (allowed.isEmpty()) {
            return List.copyOf(wanted);
        }
        if (wanted.isEmpty()) {
            // Nothing asked for but a restriction set: the cluster default might not be allowed, so use the first
            // allowed policy (gitlab-org/gitlab#479766).
            return List.of(allowed.get(0));
        }
        List<PullPolicy> permitted = wanted.stream().filter(allowed::contains).toList();
        if (permitted.isEmpty()) {
            throw new JobPodException(what + ": pull_policy " + names(wanted) + (fromJob ? " (from the job)" : "")
                    + " is not allowed by the fleet, which allows " + names(allowed)
                    + " (spec.executor.allowedPullPolicies); ask for one of those");
        }
        return permitted;
    }

    /** The {@code imagePullPolicy} a container gets: the first policy, or none (the cluster's default). */
    static String imagePullPolicy(List<PullPolicy> policies) {
        return policies.isEmpty() ? null : policies.get(0).kubernetesValue();
    }

    private static String names(List<PullPolicy> policies) {
        return policies.stream().map(PullPolicy::value).toList().toString();
    }
}
