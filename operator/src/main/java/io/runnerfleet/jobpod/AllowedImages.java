package io.runnerfleet.jobpod;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code allowed_images} and {@code allowed_services}, as gitlab-runner's {@code common/allowed_images.go}
 * ({@code VerifyAllowedImage}, called from {@code executors/kubernetes/kubernetes.go} {@code verifyAllowedImages}):
 * an empty list allows any image; otherwise the image must match one pattern (doublestar globs: {@code *} and
 * {@code ?} stay within a {@code /}-separated segment, {@code **} crosses segments, {@code [...]} and
 * {@code {a,b}} as in doublestar), or be the fleet's own default or helper image. A refused image refuses the job
 * with gitlab-runner's words.
 */
final class AllowedImages {
    private AllowedImages() {}

    /**
     * @param kind           {@code images} (the build image) or {@code services}, as gitlab-runner names the list
     * @param internalImages the fleet's default and helper images (expanded), always allowed
     */
    static void verify(String image, String kind, List<String> allowed, List<String> internalImages) {
        if (allowed.isEmpty()
                || internalImages.contains(image)
                || allowed.stream().anyMatch(pattern -> matches(pattern, image))) {
            return;
        }
        String field = kind.equals("services") ? "allowedServices" : "allowedImages";
        throw new JobPodException("disallowed image: the \"" + image + "\" image is not present on list of allowed "
                + kind + ": " + String.join(", ", allowed) + "; please check runner's allowed_" + kind
                + " configuration (spec.executor." + field + ")");
    }

    static boolean matches(String glob, String image) {
        return Pattern.compile(regex(glob)).matcher(image).matches();
    }

    /** A doublestar glob as a regular expression. */
    private static String regex(String glob) {
        StringBuilder out = new StringBuilder();
        int alternatives = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                out.append(".*");
                i++;
            } else if (c == '*') {
                out.append("[^/]*");
            } else if (c == '?') {
                out.append("[^/]");
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 1);
                if (end < 0) {
                    out.append("\\[");
                } else {
                    String set = glob.substring(i + 1, end);
                    out.append('[')
                            .append(set.startsWith("!") ? "^" + set.substring(1) : set)
                            .append(']');
                    i = end;
                }
            } else if (c == '{') {
                out.append("(?:");
                alternatives++;
            } else if (c == ',' && alternatives > 0) {
                out.append('|');
            } else if (c == '}' && alternatives > 0) {
                out.append(')');
                alternatives--;
            } else if (c == '\\' && i + 1 < glob.length()) {
                out.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
