package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte parser reads the kubelet's form itself and must agree with the formatter-based String parser. */
class KubeletTimestampsTest {
    private static Instant bytes(String text) {
        byte[] padded = ("xx" + text + " rest").getBytes(StandardCharsets.ISO_8859_1);
        return KubeletTimestamps.parse(padded, 2, 2 + text.length());
    }

    @Test
    void readsTheKubeletsFormFromBytes() {
        assertThat(bytes("2024-05-01T10:00:00.123456789Z")).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
        assertThat(bytes("2024-05-01T10:00:00.1Z")).isEqualTo(Instant.parse("2024-05-01T10:00:00.100Z"));
        assertThat(bytes("2024-05-01T10:00:00Z")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(bytes("2024-02-29T23:59:59.999999999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999999999Z"));
        assertThat(bytes("1969-12-31T23:59:59.5Z")).isEqualTo(Instant.parse("1969-12-31T23:59:59.500Z"));
        assertThat(bytes("0000-01-01T00:00:00Z")).isEqualTo(KubeletTimestamps.parse("0000-01-01T00:00:00Z"));
    }

    @Test
    void agreesWithTheStringParserOnEveryOtherText() {
        List<String> texts = List.of(
                "2024-05-01T10:00:00.123+02:00",
                "2024-05-01T10:00Z",
                "2024-05-01T10:00:00.Z",
                "2024-05-01T10:00:00.1234567890Z",
                "2023-02-29T10:00:00Z",
                "2024-04-31T10:00:00Z",
                "2024-13-01T10:00:00Z",
                "2024-05-01T24:00:00Z",
                "2024-05-01T10:60:00Z",
                "2024-05-01T10:00:60Z",
                "2024-05-01 10:00:00Z",
                "2024-05-01T10:00:00.12a4Z",
                "2024-05-01T10:00:00",
                "x024-05-01T10:00:00Z",
                "hello",
                "");
        for (String text : texts) {
            assertThat(bytes(text)).as(text).isEqualTo(KubeletTimestamps.parse(text));
        }
    }

    @Test
    void agreesWithTheStringParserOnRandomInstants() {
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            // Years 0001–9999, any nanosecond: what format() writes, the kubelet's own form.
            long second = -62_135_596_800L + (long) (random.nextDouble() * 315_537_897_599L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            String text = KubeletTimestamps.format(instant);
            assertThat(bytes(text)).as(text).isEqualTo(instant).isEqualTo(KubeletTimestamps.parse(text));
        }
    }
}
