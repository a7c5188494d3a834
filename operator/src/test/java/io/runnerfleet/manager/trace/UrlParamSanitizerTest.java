package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

    @org.junit.jupiter.api.Test
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
}
