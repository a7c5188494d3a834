package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time searches against the plain byte loops, at every length, offset and position. */
class ByteScanTest {
    /** Bytes that sit next to what is searched for, and the edges of the ASCII range. */
    private static final int[] EDGES = {
        0x00, 0x01, 0x25, 0x26, 0x27, 0x3e, 0x3f, 0x40, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff
    };

    @Test
    void firstNonAsciiIsTheFirstByteAtOrAbove0x80() {
        Random random = new Random(16);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = randomBytes(random, random.nextInt(40), random.nextInt(30));
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int plain = to;
            for (int k = from; k < to; k++) {
                if ((b[k] & 0xff) >= 0x80) {
                    plain = k;
                    break;
                }
            }
            assertThat(ByteScan.firstNonAscii(b, from, to))
                    .as("%s [%d, %d)", HexFormat.of().formatHex(b), from, to)
                    .isEqualTo(plain);
        }
    }

    @Test
    void indexOfIsTheFirstOccurrenceInTheRange() {
        Random random = new Random(20);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = randomBytes(random, random.nextInt(40), random.nextInt(40));
            byte x = (byte) (i % 2 == 0 ? '\n' : EDGES[random.nextInt(EDGES.length)]);
            if (i % 5 == 0 && b.length > 0) {
                b[random.nextInt(b.length)] = x; // often more than one in a word, and one right after the first
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int plain = -1;
            for (int k = from; k < to; k++) {
                if (b[k] == x) {
                    plain = k;
                    break;
                }
            }
            assertThat(ByteScan.indexOf(b, x, from, to))
                    .as("%s [%d, %d) for %02x", HexFormat.of().formatHex(b), from, to, x)
                    .isEqualTo(plain);
        }
    }

    @Test
    void indexOfEitherIsTheFirstOccurrenceOfEitherByteInTheRange() {
        Random random = new Random(22);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = randomBytes(random, random.nextInt(40), random.nextInt(40));
            byte x = (byte) (i % 3 == 0 ? EDGES[random.nextInt(EDGES.length)] : '?');
            byte y = (byte) (i % 3 == 0 ? EDGES[random.nextInt(EDGES.length)] : '&');
            if (i % 5 == 0 && b.length > 0) {
                b[random.nextInt(b.length)] = random.nextBoolean() ? x : y;
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int plain = -1;
            for (int k = from; k < to; k++) {
                if (b[k] == x || b[k] == y) {
                    plain = k;
                    break;
                }
            }
            assertThat(ByteScan.indexOfEither(b, x, y, from, to))
                    .as("%s [%d, %d) for %02x %02x", HexFormat.of().formatHex(b), from, to, x, y)
                    .isEqualTo(plain);
        }
    }

    @Test
    void countAndLastIndexOfAgreeWithThePlainLoop() {
        Random random = new Random(24);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = randomBytes(random, random.nextInt(40), random.nextInt(60));
            byte x = (byte) (i % 2 == 0 ? '\n' : EDGES[random.nextInt(EDGES.length)]);
            for (int k = 0; k < b.length; k++) {
                if (random.nextInt(4) == 0) {
                    b[k] = x; // runs of x, and x beside the bytes a borrow would wrongly mark
                }
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int plainCount = 0;
            int plainLast = -1;
            for (int k = from; k < to; k++) {
                if (b[k] == x) {
                    plainCount++;
                    plainLast = k;
                }
            }
            String what = String.format("%s [%d, %d) for %02x", HexFormat.of().formatHex(b), from, to, x);
            assertThat(ByteScan.count(b, x, from, to)).as(what).isEqualTo(plainCount);
            assertThat(ByteScan.lastIndexOf(b, x, from, to)).as(what).isEqualTo(plainLast);
        }
    }

    /** Mostly one ASCII letter, so that a byte searched for is often alone in its word; now and then an edge byte. */
    private static byte[] randomBytes(Random random, int length, int edgePercent) {
        byte[] b = new byte[length];
        for (int k = 0; k < length; k++) {
            b[k] = (byte) (random.nextInt(100) < edgePercent ? EDGES[random.nextInt(EDGES.length)] : 'a');
        }
        return b;
    }
}
