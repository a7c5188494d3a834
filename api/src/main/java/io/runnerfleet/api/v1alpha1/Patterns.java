package io.runnerfleet.api.v1alpha1;

/**
 * Value syntaxes shared by the schema ({@code @Pattern}) and the offline validator, so that {@code render} and the
 * API server reject the same values.
 */
public final class Patterns {
    /** Kubernetes resource quantity, e.g. {@code 500m}, {@code 2}, {@code 512Mi}, {@code 1.5Gi}. */
    public static final String QUANTITY = "^([0-9]+(\\.[0-9]+)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$";
    /** Go-style duration as gitlab-runner and kubectl write them: {@code 3s}, {@code 1m30s}, {@code 500ms}. */
    public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
    /** An IPv4 or IPv6 address (no zone, no prefix length). */
    public static final String IP_ADDRESS =
            "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"
                    + "|^(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}"
                    + "|(([0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?::(([0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?)$";
    /** RFC 1123 label: namespaces, container and volume names. */
    public static final String DNS1123_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** RFC 1123 subdomain: object names such as Secrets and ConfigMaps. */
    public static final String DNS1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A search domain: a DNS name, optionally ending in a dot. */
    public static final String SEARCH_DOMAIN =
            "^[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?)*\\.?$";
    /** GitLab instance URL. */
    public static final String HTTP_URL = "^https?://[^\\s/$.?#][^\\s]*$";
    /** {@code KEY=value} environment entry, as gitlab-runner's {@code environment} takes it. */
    public static final String ENV_ENTRY = "^[A-Za-z_][A-Za-z0-9_]*=.*$";
    /** An absolute path in a container. */
    public static final String ABSOLUTE_PATH = "^/.*$";

    private Patterns() {}
}
