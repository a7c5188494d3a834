package io.runnerfleet.validation;

import io.runnerfleet.api.v1alpha1.Patterns;
import java.util.Map;

/** Says in words what a schema pattern expects, so an error tells the user the fix. */
final class ValueSyntax {
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            Patterns.QUANTITY, "a Kubernetes quantity; expected e.g. 500m, 2, 512Mi or 2Gi",
            Patterns.DURATION, "a duration; expected e.g. 3s, 90s or 1m30s",
            Patterns.IP_ADDRESS, "an IPv4 or IPv6 address; expected e.g. 10.0.0.2 or fd00::53",
            Patterns.DNS1123_LABEL,
                    "a DNS-1123 label; expected lower-case letters, digits and '-', starting and "
                            + "ending with a letter or digit",
            Patterns.DNS1123_SUBDOMAIN, "a DNS-1123 name; expected lower-case letters, digits, '-' and '.'",
            Patterns.SEARCH_DOMAIN, "a DNS search domain; expected e.g. svc.cluster.local",
            Patterns.HTTP_URL, "an http(s) URL; expected e.g. https://gitlab.example.com/",
            Patterns.ENV_ENTRY, "a KEY=value entry; expected e.g. FOO=bar",
            Patterns.ABSOLUTE_PATH, "an absolute path; expected e.g. /cache");

    private ValueSyntax() {}

    static String describe(String pattern) {
        return DESCRIPTIONS.getOrDefault(pattern, "valid: it must match " + pattern);
    }
}
