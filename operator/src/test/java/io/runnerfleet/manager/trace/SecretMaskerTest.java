package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    private static final List<String> NO_PREFIXES = List.of();

    /** Feeds the input in the given chunk boundaries and returns all output, checking the hold-back bound. */
    private static String run(SecretMasker masker, byte[] input, int... cuts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : cuts) {
            out.writeBytes(masker.write(Arrays.copyOfRange(input, from, cut)));
            assertThat(masker.heldBytes()).isLessThan(Math.max(1, masker.longestSecret()));
            from = cut;
        }
        out.writeBytes(masker.write(Arrays.copyOfRange(input, from, input.length)));
        out.writeBytes(masker.finish());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String mask(List<String> values, List<String> prefixes, String input) {
        return run(new SecretMasker(values, prefixes), input.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void masksEveryOccurrenceOfAValue() {
        assertThat(mask(List.of("s3cr3t"), NO_PREFIXES, "pw=s3cr3t and again s3cr3t\n"))
                .isEqualTo("pw=[MASKED] and again [MASKED]\n");
    }

    @Test
    void catchesAValueSplitAtEveryOffset() {
        String input = "before s3cr3t-value middle s3cr3t-value after\n";
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        String expected = "before [MASKED] middle [MASKED] after\n";
        for (int i = 0; i <= bytes.length; i++) {
            assertThat(run(new SecretMasker(List.of("s3cr3t-value"), NO_PREFIXES), bytes, i))
                    .as("split at %d", i)
                    .isEqualTo(expected);
        }
    }

    @Test
    void catchesAValueSplitIntoManyChunks() {
        byte[] bytes = "xx s3cr3t-value yy".getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < bytes.length; i++) {
            for (int j = i; j < bytes.length; j++) {
                assertThat(run(new SecretMasker(List.of("s3cr3t-value"), NO_PREFIXES), bytes, i, j))
                        .as("split at %d and %d", i, j)
                        .isEqualTo("xx [MASKED] yy");
            }
        }
        // one byte at a time
        int[] every = new int[bytes.length - 1];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(run(new SecretMasker(List.of("s3cr3t-value"), NO_PREFIXES), bytes, every))
                .isEqualTo("xx [MASKED] yy");
    }

    @Test
    void releasesBytesThatCannotBeASecretAtOnce() {
        SecretMasker masker = new SecretMasker(List.of("s3cr3t"), NO_PREFIXES);
        assertThat(new String(masker.write("hello s3c".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("hello ");
        assertThat(masker.heldBytes()).isEqualTo(3);
        assertThat(new String(masker.write("ond".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("s3cond");
        assertThat(masker.heldBytes()).isZero();
    }

    @Test
    void overlappingValuesTheEarliestThenTheLongestWins() {
        assertThat(mask(List.of("abcd", "bc"), NO_PREFIXES, "xabcdx")).isEqualTo("x[MASKED]x");
        assertThat(mask(List.of("abcd", "bc"), NO_PREFIXES, "xabcx")).isEqualTo("xa[MASKED]x");
        assertThat(mask(List.of("abc", "abcdef"), NO_PREFIXES, "abcdefg abcdx")).isEqualTo("[MASKED]g [MASKED]dx");
        assertThat(mask(List.of("aab"), NO_PREFIXES, "aaab")).isEqualTo("a[MASKED]");
        assertThat(mask(List.of("abab"), NO_PREFIXES, "abababab")).isEqualTo("[MASKED][MASKED]");
        for (int i = 0; i <= 5; i++) {
            assertThat(run(
                            new SecretMasker(List.of("abcd", "bc"), NO_PREFIXES),
                            "xabcx".getBytes(StandardCharsets.UTF_8),
                            i))
                    .isEqualTo("xa[MASKED]x");
        }
    }

    @Test
    void secretsAtTheEndOfTheStream() {
        assertThat(mask(List.of("s3cr3t"), NO_PREFIXES, "tail s3cr3t")).isEqualTo("tail [MASKED]");
        assertThat(mask(List.of("s3cr3t"), NO_PREFIXES, "tail s3cr3")).isEqualTo("tail s3cr3");
        assertThat(mask(List.of(), List.of("glrt-"), "token glrt-abc")).isEqualTo("token glrt-[MASKED]");
        assertThat(mask(List.of(), List.of("glrt-"), "prefix only glrt-")).isEqualTo("prefix only glrt-");
        assertThat(mask(List.of(), List.of("glrt-"), "partial glr")).isEqualTo("partial glr");
    }

    @Test
    void emptyInputAndNoSecrets() {
        assertThat(mask(List.of(), NO_PREFIXES, "")).isEmpty();
        assertThat(mask(List.of("", "s3cr3t"), NO_PREFIXES, "")).isEmpty();
        SecretMasker masker = new SecretMasker(List.of(""), NO_PREFIXES);
        assertThat(masker.write(new byte[0])).isEmpty();
        assertThat(new String(masker.write("plain".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("plain");
        assertThat(masker.finish()).isEmpty();
    }

    @Test
    void tokensKeepTheirPrefixAndLoseTheirBody() {
        assertThat(mask(
                        List.of(),
                        List.of("glrt-", "glcbt-"),
                        "clone https://gitlab-ci-token:glcbt-64_Zx9example.Job=Token@gitlab.example.com/x.git\n"))
                .isEqualTo("clone https://gitlab-ci-token:glcbt-[MASKED]@gitlab.example.com/x.git\n");
        assertThat(mask(List.of(), List.of("glrt-"), "runner glrt-t1_abc def glpat-xyz!"))
                .isEqualTo("runner glrt-[MASKED] def glpat-[MASKED]!");
    }

    @Test
    void tokensSplitAtEveryOffset() {
        byte[] bytes = "a glrt-t1_abcdefghijk b glpat-0123 c\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i <= bytes.length; i++) {
            for (int j = i; j <= bytes.length; j += 3) {
                assertThat(run(new SecretMasker(List.of(), List.of("glrt-")), bytes, i, j))
                        .as("split at %d, %d", i, j)
                        .isEqualTo("a glrt-[MASKED] b glpat-[MASKED] c\n");
            }
        }
    }

    @Test
    void atMostFifteenDistinctPrefixesShortestFirst() {
        List<String> prefixes = List.of(
                "p00000000001-",
                "p1-",
                "p2-",
                "p3-",
                "p4-",
                "p5-",
                "p6-",
                "p7-",
                "p8-",
                "p9-",
                "pa-",
                "pb-",
                "pc-",
                "pd-",
                "pe-",
                " p1- ",
                "");
        // glpat- is always added; sorted by length the long one is the 16th and ignored (tokensanitizer.New)
        assertThat(mask(List.of(), prefixes, "pd-abc p00000000001-abc")).isEqualTo("pd-[MASKED] p00000000001-abc");
    }

    @Test
    void gitLabRunnersDefaultPrefixesWithMaskAllDefaultTokens() {
        String input = "glpat-a1 glrt-t1_b2 glcbt-64_c3 gldt-d4 glft-e5 _gitlab_session=f6 gltok-g7 glsoat-h8\n";
        assertThat(mask(List.of(), SecretMasker.withDefaultPrefixes(List.of(), true), input))
                .isEqualTo("glpat-[MASKED] glrt-[MASKED] glcbt-[MASKED] gldt-[MASKED] glft-[MASKED] "
                        + "_gitlab_session=[MASKED] gltok-[MASKED] glsoat-[MASKED]\n");
        // Without the flag gitlab-runner masks personal access tokens only.
        assertThat(mask(List.of(), SecretMasker.withDefaultPrefixes(List.of(), false), input))
                .isEqualTo("glpat-[MASKED] glrt-t1_b2 glcbt-64_c3 gldt-d4 glft-e5 _gitlab_session=f6 gltok-g7 "
                        + "glsoat-h8\n");
        assertThat(SecretMasker.withDefaultPrefixes(List.of("glcbt-"), true)).hasSize(15);
    }

    @Test
    void unicodeValuesAreMaskedWholeAtEverySplit() {
        String secret = "pässwörd-😀";
        String input = "ü before " + secret + " after ✓\n";
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i <= bytes.length; i++) {
            assertThat(run(new SecretMasker(List.of(secret), NO_PREFIXES), bytes, i))
                    .as("split at %d", i)
                    .isEqualTo("ü before [MASKED] after ✓\n");
        }
        // a value that shares a lead byte with other text never masks half a character
        assertThat(mask(List.of("ä"), NO_PREFIXES, "aäöä")).isEqualTo("a[MASKED]ö[MASKED]");
    }

    @Test
    void multiLineValues() {
        assertThat(mask(List.of("line1\nline2"), NO_PREFIXES, "x line1\nline2 y\n"))
                .isEqualTo("x [MASKED] y\n");
    }

    /** Issue #18: gitlab-runner's masker matches values as written only; ours also masks them URL-encoded. */
    @Test
    void urlEncodedFormsOfMaskedValuesAreMaskedToo() {
        String secret = "ab+cd/ef@gh:ij~k=";
        List<String> forms = SecretMasker.withUrlEncodedForms(List.of(secret));
        assertThat(forms)
                .containsExactlyInAnyOrder(
                        secret,
                        "ab%2Bcd%2Fef%40gh%3Aij%7Ek%3D",
                        "ab%2bcd%2fef%40gh%3aij%7ek%3d",
                        "ab%2Bcd%2Fef%40gh%3Aij~k%3D",
                        "ab%2bcd%2fef%40gh%3aij~k%3d");
        String input = "?a=ab%2Bcd%2Fef%40gh%3Aij%7Ek%3D&b=ab%2bcd%2fef%40gh%3aij~k%3d " + secret + "\n";
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i <= bytes.length; i++) {
            assertThat(run(new SecretMasker(forms, NO_PREFIXES), bytes, i))
                    .as("split at %d", i)
                    .isEqualTo("?a=[MASKED]&b=[MASKED] [MASKED]\n");
        }
        // a value URL encoding leaves as it is gets no second phrase
        assertThat(SecretMasker.withUrlEncodedForms(List.of("plainToken123", "")))
                .containsExactly("plainToken123");
    }

    /**
     * The one-pass scan (byte-pair filter, output buffer kept between writes) against the rule written out plainly:
     * at each byte the longest token prefix, then its body masked; else the longest value masked; else the byte. On
     * random text made of the patterns' pieces, fed whole, line by line, and cut at random.
     */
    @Test
    void agreesWithThePlainRuleOnRandomTextAndCuts() {
        // Few starts: the scan tests eight positions per word.
        agreesWithThePlainRule(List.of("s3cr3t", "s3", "x", "ab+c/d", "token-ü", "abab"));
        // Many starts: the scan looks each position's byte pair up in the bit set.
        agreesWithThePlainRule(List.of(
                "s3cr3t", "s3", "x", "ab+c/d", "token-ü", "abab", "Qs3", ".x", "=ab", " gl", "\nQ", "-Q", "3t.",
                "c/dQ"));
    }

    private static void agreesWithThePlainRule(List<String> values) {
        java.util.Random random = new java.util.Random(16);
        List<String> prefixes = List.of("glpat-", "gl", "ab-");
        List<String> allValues = SecretMasker.withUrlEncodedForms(values);
        String[] pieces = {
            "s", "3", "cr", "3t", "x", "a", "b", "+", "c/d", "%2B", "%2b", "%2F", "gl", "pat-", "-", "ü", "token-", " ",
            "\n", "=", ".", "Q", "ab-", "glpat-", "s3cr3", "abab"
        };
        for (int i = 0; i < 3000; i++) {
            StringBuilder text = new StringBuilder();
            int count = random.nextInt(30);
            for (int k = 0; k < count; k++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
            String expected = plainRule(allValues, prefixes, input);
            assertThat(run(new SecretMasker(allValues, prefixes), input))
                    .as("%s", text)
                    .isEqualTo(expected);
            int[] cuts =
                    random.ints(random.nextInt(6), 0, input.length + 1).sorted().toArray();
            assertThat(run(new SecretMasker(allValues, prefixes), input, cuts))
                    .as("%s", text)
                    .isEqualTo(expected);
            int[] everyByte = java.util.stream.IntStream.range(1, input.length).toArray();
            assertThat(run(new SecretMasker(allValues, prefixes), input, everyByte))
                    .as("%s", text)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aWriteWithNothingToMaskReturnsItsBytes() {
        SecretMasker masker = new SecretMasker(List.of("s3cr3t"), NO_PREFIXES);
        byte[] line = "plain text with gl and s3 but no secret\n".getBytes(StandardCharsets.UTF_8);
        assertThat(masker.write(line)).isEqualTo(line);
        assertThat(masker.write(line, 6, 4)).containsExactly("text".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(masker.write("a s3cr3t b\n".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("a [MASKED] b\n");
        assertThat(masker.write(line)).isEqualTo(line);
    }

    private static String plainRule(List<String> values, List<String> prefixes, byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < in.length) {
            int prefix = longestAt(prefixes, in, pos);
            if (prefix > 0) {
                out.write(in, pos, prefix);
                int body = pos + prefix;
                while (body < in.length && isTokenByte(in[body])) {
                    body++;
                }
                if (body > pos + prefix) {
                    out.writeBytes(SecretMasker.MASK.getBytes(StandardCharsets.US_ASCII));
                }
                pos = body;
                continue;
            }
            int value = longestAt(values, in, pos);
            if (value > 0) {
                out.writeBytes(SecretMasker.MASK.getBytes(StandardCharsets.US_ASCII));
                pos += value;
                continue;
            }
            out.write(in[pos]);
            pos++;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int longestAt(List<String> patterns, byte[] in, int pos) {
        int longest = 0;
        for (String p : patterns) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            if (b.length > longest
                    && pos + b.length <= in.length
                    && Arrays.equals(in, pos, pos + b.length, b, 0, b.length)) {
                longest = b.length;
            }
        }
        return longest;
    }

    private static boolean isTokenByte(byte b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '-'
                || b == '.'
                || b == '_'
                || b == '=';
    }
}
