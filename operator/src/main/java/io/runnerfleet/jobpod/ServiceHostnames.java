package io.runnerfleet.jobpod;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host names a service answers to in the Job Pod, by gitlab-runner's rules ({@code host_aliases.go},
 * {@code services.go}): the names derived from the image, then every alias.
 *
 * <p>Derived names: drop tag, digest and registry port, then {@code /} becomes {@code __} or {@code -}; a candidate is
 * kept only if it is a DNS-1123 subdomain, so the {@code __} form never is. {@code registry.example.com/docker:dind}
 * therefore gives {@code registry.example.com-docker} and not {@code docker}.
 */
public final class ServiceHostnames {
    private static final Pattern DNS1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    private ServiceHostnames() {}

    public static List<String> of(String image, List<String> aliases) {
        Set<String> names = new LinkedHashSet<>(derivedFromImage(image));
        for (String alias : aliases) {
            if (!isSubdomain(alias)) {
                throw new JobPodException("service " + printable(image) + ": alias \"" + printable(alias)
                        + "\" is not a valid host name (DNS-1123: lower-case letters, digits, '-' and '.', at most "
                        + "63 characters per part); fix the alias in .gitlab-ci.yml");
            }
            names.add(alias);
        }
        return List.copyOf(names);
    }

    public static List<String> derivedFromImage(String image) {
        String path = ImageReference.repository(image);
        List<String> result = new ArrayList<>();
        for (String candidate : List.of(path.replace("/", "__"), path.replace("/", "-"))) {
            if (isSubdomain(candidate) && !result.contains(candidate)) {
                result.add(candidate);
            }
        }
        return result;
    }

    public static boolean isSubdomain(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!isLabel(label)) {
                return false;
            }
        }
        return true;
    }

    public static boolean isLabel(String name) {
        return name != null
                && name.length() <= 63
                && DNS1123_LABEL.matcher(name).matches();
    }

    /** Job input in a message: control characters and non-ASCII shown escaped, so a message cannot forge lines. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(200).forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                out.appendCodePoint(c);
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }
}
