package io.runnerfleet.manager.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches the log path runs over every line, eight bytes at a time: most of a build log is ASCII without the
 * few bytes these look for, and a byte-by-byte loop over it was a top frame of the log path (bench/README.md, issue
 * #16). Each answers exactly what the plain loop would; only the stride differs.
 */
final class ByteScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    static final long LOW_BITS = 0x0101010101010101L;

    private ByteScan() {}

    /** The index of the first byte ≥ 0x80 in {@code b[from, to)}, or {@code to} if they are all ASCII. */
    static int firstNonAscii(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            if ((word(b, i) & HIGH_BITS) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            if (b[i] < 0) {
                return i;
            }
        }
        return to;
    }

    /** The index of the first byte {@code x} in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, byte x, int from, int to) {
        long xs = LOW_BITS * (x & 0xff);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long zeros = zeroBytes(word(b, i) ^ xs);
            if (zeros != 0) {
                // The lowest marked byte is always a real zero (a borrow only marks bytes above one): the first x.
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first byte {@code x} or {@code y} in {@code b[from, to)}, or -1. */
    static int indexOfEither(byte[] b, byte x, byte y, int from, int to) {
        long xs = LOW_BITS * (x & 0xff);
        long ys = LOW_BITS * (y & 0xff);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = word(b, i);
            long zeros = zeroBytes(w ^ xs) | zeroBytes(w ^ ys);
            if (zeros != 0) {
                // Each test's lowest mark is a real one, so the lowest of both is the first x or y.
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == x || b[i] == y) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the last byte {@code x} in {@code b[from, to)}, or -1; a plain loop: it runs over one line. */
    static int lastIndexOf(byte[] b, byte x, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** How many bytes {@code x} there are in {@code b[from, to)}. */
    static int count(byte[] b, byte x, int from, int to) {
        long xs = LOW_BITS * (x & 0xff);
        int n = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            n += Long.bitCount(exactZeroBytes(word(b, i) ^ xs));
        }
        for (; i < to; i++) {
            if (b[i] == x) {
                n++;
            }
        }
        return n;
    }

    /**
     * The high bit of exactly the zero bytes of {@code w}: unlike {@link #zeroBytes} no borrow crosses a byte (the
     * low seven bits are added within each byte), so the marks can be counted.
     */
    private static long exactZeroBytes(long w) {
        long low7 = ~HIGH_BITS;
        return ~(((w & low7) + low7) | w | low7);
    }

    /** The high bit of every zero byte of {@code w} set, and maybe of bytes above a zero byte; 0 if none is zero. */
    static long zeroBytes(long w) {
        return (w - LOW_BITS) & ~w & HIGH_BITS;
    }

    /**
     * Whether one of the eight bytes is zero. Exact as a yes/no (a borrow can only mark bytes above a zero byte, so
     * there is a zero byte whenever any high bit survives).
     */
    private static boolean hasZeroByte(long w) {
        return zeroBytes(w) != 0;
    }

    /** The eight bytes from {@code b[i]} on, {@code b[i]} the lowest. */
    static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }
}
