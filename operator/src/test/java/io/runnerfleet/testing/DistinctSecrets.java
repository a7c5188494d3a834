package io.runnerfleet.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Distinctive random secrets of every kind a fleet and its jobs carry, so a test can search any text for them, in
 * the forms they could take there ({@link #forms}). Masked values use GitLab's masked-variable alphabet (Base64 plus
 * {@code @:.~}) with characters that URL encoding changes, so an encoded form is not the value itself.
 */
public record DistinctSecrets(
        String runnerToken,
        String jobToken,
        String maskedVariable,
        String fileVariable,
        String registryPassword,
        String dockerPassword,
        String s3SecretKey) {
    public static final String DOCKER_USER = "ci-pusher";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static DistinctSecrets random() {
        return new DistinctSecrets(
                "glrt-t1_" + alnum(24),
                "glcbt-64_" + alnum(24),
                masked(),
                masked(),
                masked(),
                masked(),
                alnum(10) + "/" + alnum(12) + "+" + alnum(17));
    }

    /** Every secret by name. */
    public Map<String, String> all() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("runner token", runnerToken);
        all.put("job token", jobToken);
        all.put("masked variable", maskedVariable);
        all.put("file variable", fileVariable);
        all.put("registry password", registryPassword);
        all.put("DOCKER_AUTH_CONFIG password", dockerPassword);
        all.put("DOCKER_AUTH_CONFIG auth", dockerAuth());
        all.put("cache S3 secret key", s3SecretKey);
        return all;
    }

    /** What a job's build could know and print: the trace must mask each (none is the runner's own secret). */
    public List<String> printed() {
        return List.of(jobToken, maskedVariable, fileVariable, registryPassword, dockerPassword, runnerToken);
    }

    public String dockerAuth() {
        return Base64.getEncoder()
                .encodeToString((DOCKER_USER + ":" + dockerPassword).getBytes(StandardCharsets.UTF_8));
    }

    public String dockerAuthConfig() {
        return "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + dockerAuth() + "\"}}}";
    }

    /** The value as written and URL-encoded ({@link #textForms}) and its Base64 forms, as an object's data holds it. */
    public static List<String> forms(String value) {
        Set<String> forms = new LinkedHashSet<>(textForms(value));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        return new ArrayList<>(forms);
    }

    /** The value as written and its URL-encoded forms (form encoding, RFC 3986 with upper- and lower-case hex). */
    public static List<String> textForms(String value) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        forms.add(formEncoded(value));
        forms.add(percentEncoded(value, false));
        forms.add(percentEncoded(value, true));
        return new ArrayList<>(forms);
    }

    public static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** RFC 3986: everything but {@code A-Za-z0-9-._~} as {@code %XX}. */
    public static String percentEncoded(String value, boolean lowerCaseHex) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                String hex = String.format(Locale.ROOT, "%%%02X", c);
                sb.append(lowerCaseHex ? hex.toLowerCase(Locale.ROOT) : hex);
            }
        }
        return sb.toString();
    }

    private static String masked() {
        return alnum(6) + "+" + alnum(5) + "/" + alnum(4) + "@" + alnum(4) + ":" + alnum(3) + "~" + alnum(3) + "=";
    }

    private static String alnum(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }
}
