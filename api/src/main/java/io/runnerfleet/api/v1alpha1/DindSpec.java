package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * How a Docker-in-Docker service's dockerd fits into its Job Pod. Ours: gitlab-runner starts a service with its
 * entrypoint and command as given ({@code executors/kubernetes/kubernetes.go}, {@code getCommandAndArgs}) and adds
 * nothing to them.
 */
public record DindSpec(
        @Default("true")
        @JsonPropertyDescription("dockerd in a Docker-in-Docker service (a `docker:*dind*` image) inherits the Job "
                + "Pod's network: `--mtu` equal to the pod interface's MTU (read from `/sys/class/net/eth0/mtu` when "
                + "the service starts) and, with `dns.policy` `None`, `--dns`, `--dns-search` and `--dns-opt` from "
                + "`dns`, so the containers `docker run` and `docker build` start resolve names and size packets as "
                + "the pod does. A service that passes `--mtu` or any `--dns*` flag itself keeps its own. Default on; "
                + "`false` starts dockerd exactly as the service says (`dind_inherit` in `[runners.runner_fleet]`).")
        Boolean inherit) {

    public DindSpec {
        inherit = inherit == null || inherit;
    }

    /** What a fleet that says nothing gets: inherit on. */
    public static DindSpec defaults() {
        return new DindSpec(true);
    }
}
