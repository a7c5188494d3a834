package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * DNS of every Job Pod container, dockerd in a DinD service included: it is what resolves registries for
 * {@code FROM} pulls. Containers that dockerd itself starts ({@code RUN} steps) use dockerd's {@code --dns}, if given.
 */
@ValidationRule(
        value = "!has(self.policy) || self.policy != 'None' || (has(self.nameservers) && size(self.nameservers) > 0)",
        message = "dns.policy None needs at least one entry in dns.nameservers")
public record DnsSpec(
        @JsonPropertyDescription("Pod `dnsPolicy`: `None` (only what is listed here), `ClusterFirst` (cluster DNS, "
                + "the default), `ClusterFirstWithHostNet` or `Default` (the node's resolver). Becomes `dns_policy`.")
        @Default("ClusterFirst")
        DnsPolicy policy,

        @Size(max = 3)
        @JsonPropertyDescription("Name server IP addresses, at most 3 (Kubernetes' limit). With policy None they "
                + "are the only resolvers of the Job Pod.")
        List<@Pattern(Patterns.IP_ADDRESS) String> nameservers,

        @Size(max = 32) @JsonPropertyDescription("Search domains, at most 32 (Kubernetes' limit).")
        List<@Pattern(Patterns.SEARCH_DOMAIN) @Size(max = 253) String> searches,

        @JsonPropertyDescription("Resolver options such as `ndots`.")
        List<DnsOption> options) {

    public DnsSpec {
        policy = policy == null ? DnsPolicy.ClusterFirst : policy;
        nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
        searches = searches == null ? List.of() : List.copyOf(searches);
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** True when anything beyond the default policy is set, i.e. the Job Pod gets a {@code dnsConfig}. */
    @JsonIgnore
    public boolean hasConfig() {
        return !nameservers.isEmpty() || !searches.isEmpty() || !options.isEmpty();
    }
}
