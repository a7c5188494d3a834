package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sensitive URL parameters, masked as gitlab-runner's urlsanitizer masks them, however the stream is split. */
class UrlParamSanitizerTest {
    /** Feeds {@code input} in the pieces '|' separates, then ends the stream. */
    static String sanitize(String input) {
        UrlParamSanitizer sanitizer = new UrlParamSanitizer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] pieces = input.split("\\|", -1);
        for (int i = 0; i < pieces.length - 1; i++) {
            out.writeBytes(sanitizer.write(pieces[i].getBytes(StandardCharsets.UTF_8)));
        }
        out.writeBytes(sanitizer.finish(pieces[pieces.length - 1].getBytes(StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "curl https://gitlab.example.com/api?private_token=s3cr3t ok; curl https://gitlab.example.com/api?private_token=[MASKED] ok",
                "get https://s3.example.com/b/o?X-Amz-Credential=AKIA%2F20250101&X-Amz-Signature=abc&x=1; get https://s3.example.com/b/o?X-Amz-Credential=[MASKED]&X-Amz-Signature=[MASKED]&x=1",
                "fetch ?a=1&RSS_TOKEN=zz; fetch ?a=1&RSS_TOKEN=[MASKED]",
                "spl|it ?authenticity|_token=abc|def|ghi more; split ?authenticity_token=[MASKED] more",
                "private_token=not-a-parameter ?token=kept; private_token=not-a-parameter ?token=kept",
                "?x-amz-security?x-amz-security-token=t0k3n; ?x-amz-security?x-amz-security-token=[MASKED]",
                "?a-very-long-parameter-name-beyond-any-key=value; ?a-very-long-parameter-name-beyond-any-key=value",
                "?private_token=&next=1; ?private_token=[MASKED]&next=1",
            })
    void masksTheValuesOfGitlabRunnersSensitiveKeys(String input, String expected) {
        assertThat(sanitize(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "?x-amz-credential=abc\\ndef; ?x-amz-credential=[MASKED]\\ndef",
                "?rss_token=a\\tb; ?rss_token=[MASKED]\\tb"
            })
    void aValueEndsAtWhiteSpaceOrAControlCharacter(String input, String expected) {
        assertThat(sanitize(input.replace("\\n", "\n").replace("\\t", "\t")))
                .isEqualTo(expected.replace("\\n", "\n").replace("\\t", "\t"));
    }

    @Test
    void theJobsTraceGoesThroughIt() {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        TraceWriter writer = TraceWriter.forJob(
                trace::writeBytes,
                java.util.List.of("m4sked-value"),
                java.util.List.of(),
                0,
                java.time.Clock.systemUTC());
        writer.message("download https://s3.example.com/cache.zip?X-Amz-Signature=0123abcd&x=m4sked-value done");
        writer.finish();
        assertThat(trace.toString(StandardCharsets.UTF_8))
                .contains("?X-Amz-Signature=[MASKED]&x=[MASKED] done")
                .doesNotContain("0123abcd");
    }

    @Test
    void agreesWithThePlainByteLoopOnRandomTextCutAnywhere() {
        String[] pieces = {
            "?",
            "&",
            "=",
            "private_token",
            "PRIVATE_TOKEN",
            "x-amz-signature",
            "rss_token",
            "x",
            " ",
            "\n",
            "\t",
            "\u007f",
            "abc",
            "ü",
            "a-very-long-parameter-name-beyond",
            "token"
        };
        Random random = new Random(16);
        for (int t = 0; t < 3_000; t++) {
            StringBuilder text = new StringBuilder();
            int count = random.nextInt(30);
            for (int k = 0; k < count; k++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            byte[] expected = plain(bytes);
            int[] cuts =
                    random.ints(random.nextInt(4), 0, bytes.length + 1).sorted().toArray();
            UrlParamSanitizer sanitizer = new UrlParamSanitizer();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int from = 0;
            for (int cut : cuts) {
                out.writeBytes(sanitizer.write(Arrays.copyOfRange(bytes, from, cut)));
                from = cut;
            }
            out.writeBytes(sanitizer.finish(Arrays.copyOfRange(bytes, from, bytes.length)));
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .as("%s cut at %s", text, Arrays.toString(cuts))
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aWriteWithNothingToMaskIsReturnedAsItIs() {
        byte[] lines = "get https://example.com/a?b=c&d=e\nmore\n".getBytes(StandardCharsets.UTF_8);
        assertThat(new UrlParamSanitizer().write(lines)).isSameAs(lines);
    }

    /**
     * The rule written out as a byte loop (the sanitizer's loop before it skipped ahead to the next {@code ?} or
     * {@code &}), over the whole text at once, the stream's end included.
     */
    private static byte[] plain(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder match = new StringBuilder();
        boolean masking = false;
        int maxKey =
                UrlParamSanitizer.KEYS.stream().mapToInt(String::length).max().orElse(0) + 1;
        for (byte b : in) {
            int c = b & 0xff;
            if (masking) {
                boolean end = c == '?' || c == '&' || c == ' ' || c < 0x20 || c == 0x7f;
                if (!end) {
                    continue;
                }
                masking = false;
                out.writeBytes("[MASKED]".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(b);
            if (c == '?' || c == '&') {
                match.setLength(0);
                match.append((char) c);
            } else if (match.length() > 0) {
                if (c == '=') {
                    masking = UrlParamSanitizer.KEYS.contains(match.substring(1).toLowerCase(Locale.ROOT));
                    match.setLength(0);
                } else if (match.length() >= maxKey) {
                    match.setLength(0);
                } else {
                    match.append((char) c);
                }
            }
        }
        if (masking) {
            out.writeBytes("[MASKED]".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
