package io.runnerfleet.manager.trace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Masks the values of sensitive URL query parameters in the trace, as gitlab-runner's
 * {@code common/buildlogger/internal/urlsanitizer}: after {@code ?key=} or {@code &key=} with a key (any case) of
 * {@link #KEYS}, everything up to the next {@code ?}, {@code &}, white space or control character becomes
 * {@code [MASKED]}; a value still open at the end of the stream too. Like gitlab-runner's it holds nothing back:
 * the key's bytes pass at once, only the value's are dropped, so it works across any split of the stream.
 *
 * <p>This is what gitlab-runner masks of URL-encoded secrets: a masked variable's value is masked as written, not
 * in its percent-encoded form (its {@code masker} matches the phrases only). Here the trace's {@link SecretMasker}
 * also gets each value's URL-encoded forms ({@link SecretMasker#withUrlEncodedForms}).
 */
final class UrlParamSanitizer {
    /** gitlab-runner's {@code tokenParamKeys}. */
    static final Set<String> KEYS = Set.of(
            "private_token",
            "authenticity_token",
            "rss_token",
            "x-amz-signature",
            "x-amz-credential",
            "x-amz-security-token");

    private static final byte[] MASK = SecretMasker.MASK.getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_KEY =
            KEYS.stream().mapToInt(String::length).max().orElse(0) + 1;

    /** The separator and the key read so far, while one may be starting; empty otherwise. */
    private final StringBuilder match = new StringBuilder();

    private boolean masking;

    /** The bytes of {@code in} that remain, with sensitive values replaced. */
    byte[] write(byte[] in) {
        if (!masking && match.length() == 0 && noParamStart(in)) {
            return in; // no `?` or `&` and no parameter open: nothing to mask and no state to change
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (byte b : in) {
            int c = b & 0xff;
            if (masking) {
                if (!isParamEnd(c)) {
                    continue;
                }
                masking = false;
                out.writeBytes(MASK);
            }
            out.write(b);
            if (c == '?' || c == '&') {
                match.setLength(0);
                match.append((char) c);
            } else if (match.length() > 0) {
                if (c == '=') {
                    masking = KEYS.contains(match.substring(1).toLowerCase(Locale.ROOT));
                    match.setLength(0);
                } else if (match.length() >= MAX_KEY) {
                    match.setLength(0);
                } else {
                    match.append((char) c);
                }
            }
        }
        return out.toByteArray();
    }

    /** End of stream: a value still being masked ends with the mask. */
    byte[] finish(byte[] rest) {
        byte[] last = write(rest);
        if (!masking) {
            return last;
        }
        masking = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream(last.length + MASK.length);
        out.writeBytes(last);
        out.writeBytes(MASK);
        return out.toByteArray();
    }

    private static boolean noParamStart(byte[] in) {
        return !ByteScan.containsEither(in, (byte) '?', (byte) '&');
    }

    /** gitlab-runner's {@code isParamEnd}: {@code ?}, {@code &}, white space or a control character. */
    private static boolean isParamEnd(int c) {
        return c == '?' || c == '&' || c == ' ' || (c >= 0x09 && c <= 0x0d) || c < 0x20 || c == 0x7f;
    }
}
