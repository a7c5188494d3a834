package io.runnerfleet.api.v1alpha1;

/** Kubernetes Pod {@code dnsPolicy} values, and gitlab-runner's spelling of each in {@code dns_policy}. */
public enum DnsPolicy {
    None("none"),
    Default("default"),
    ClusterFirst("cluster-first"),
    ClusterFirstWithHostNet("cluster-first-with-host-net");

    private final String tomlValue;

    DnsPolicy(String tomlValue) {
        this.tomlValue = tomlValue;
    }

    public String tomlValue() {
        return tomlValue;
    }

    public static DnsPolicy fromToml(String value) {
        for (DnsPolicy policy : values()) {
            if (policy.tomlValue.equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown dns_policy \"" + value
                + "\"; expected one of none, default, cluster-first, cluster-first-with-host-net");
    }
}
