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

    /** Whether {@code b} holds the byte {@code x} or the byte {@code y}. */
    static boolean containsEither(byte[] b, byte x, byte y) {
        long xs = LOW_BITS * (x & 0xff);
        long ys = LOW_BITS * (y & 0xff);
        int i = 0;
        for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
            long w = word(b, i);
            if (hasZeroByte(w ^ xs) || hasZeroByte(w ^ ys)) {
                return true;
            }
        }
        for (; i < b.length; i++) {
            if (b[i] == x || b[i] == y) {
                return true;
            }
        }
        return false;
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
