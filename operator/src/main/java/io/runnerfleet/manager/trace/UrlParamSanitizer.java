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

    /**
     * The bytes of {@code in} that remain, with sensitive values replaced; {@code in} itself when nothing was.
     *
     * <p>Outside a parameter only a {@code ?} or {@code &} can change anything, so the pass jumps from one to the next
     * eight bytes at a time ({@link ByteScan#indexOfEither}), and a value being masked is skipped to its end: a write
     * now holds many lines at once (a chunk of the build's copy), where a byte-by-byte loop with a copy of every byte
     * would be a cost of every line again (bench/README.md, issue #16). The verdict per byte is the plain loop's.
     */
    byte[] write(byte[] in) {
        Output out = new Output(in);
        int n = in.length;
        int i = 0;
        while (i < n) {
            if (!masking && match.length() == 0) {
                i = ByteScan.indexOfEither(in, (byte) '?', (byte) '&', i, n);
                if (i < 0) {
                    break;
                }
            }
            int c = in[i] & 0xff;
            if (masking) {
                int valueEnd = i;
                while (valueEnd < n && !isParamEnd(in[valueEnd] & 0xff)) {
                    valueEnd++;
                }
                out.drop(i, valueEnd);
                if (valueEnd == n) {
                    break; // the value goes on in the next write
                }
                masking = false;
                out.insertMask(valueEnd);
                i = valueEnd;
                c = in[i] & 0xff;
            }
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
            i++;
        }
        return out.result();
    }

    /** One write's output: its input until the first change, then a copy with values dropped and masks put in. */
    private static final class Output {
        private final byte[] in;
        private ByteArrayOutputStream changed;
        /** {@code in[0, kept)} is accounted for: in {@link #changed} or dropped. */
        private int kept;

        Output(byte[] in) {
            this.in = in;
        }

        /** {@code in[from, to)} is left out. */
        void drop(int from, int to) {
            if (from == to) {
                return;
            }
            copyUpTo(from);
            kept = to;
        }

        /** The mask goes before {@code in[at]}. */
        void insertMask(int at) {
            copyUpTo(at);
            changed.writeBytes(MASK);
        }

        private void copyUpTo(int at) {
            if (changed == null) {
                changed = new ByteArrayOutputStream(in.length);
            }
            changed.write(in, kept, at - kept);
            kept = at;
        }

        byte[] result() {
            if (changed == null) {
                return in;
            }
            copyUpTo(in.length);
            return changed.toByteArray();
        }
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

    /** gitlab-runner's {@code isParamEnd}: {@code ?}, {@code &}, white space or a control character. */
    private static boolean isParamEnd(int c) {
        return c == '?' || c == '&' || c == ' ' || (c >= 0x09 && c <= 0x0d) || c < 0x20 || c == 0x7f;
    }
}
