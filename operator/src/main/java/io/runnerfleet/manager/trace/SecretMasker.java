package io.runnerfleet.manager.trace;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Streaming secret masking over UTF-8 bytes, as gitlab-runner's trace does ({@code helpers/trace/internal/masker}
 * and {@code helpers/trace/internal/tokensanitizer}).
 *
 * <ul>
 *   <li>Every occurrence of a masked variable value becomes {@code [MASKED]}. Where values overlap, the one that starts
 *       first wins, and of those the longest.</li>
 *   <li>Every token that starts with one of the token prefixes ({@code features.token_mask_prefixes}, plus
 *       {@code glpat-} which gitlab-runner always adds, and with {@code FF_MASK_ALL_DEFAULT_TOKENS} its other default
 *       prefixes ({@link #withDefaultPrefixes}); at most 15 distinct prefixes) keeps its prefix and has the rest
 *       of the token, the longest run of {@code [A-Za-z0-9._=-]}, replaced: {@code glpat-abc123 } becomes
 *       {@code glpat-[MASKED] }. A prefix not followed by a token character stays as it is.</li>
 * </ul>
 *
 * <p>The trace's masker gets each value also URL-encoded ({@link #withUrlEncodedForms}), which gitlab-runner does not
 * do.
 *
 * <p>Input arrives in chunks that may split a secret anywhere. {@link #write} returns the bytes that can no longer be
 * part of a secret; it holds back only a tail that is a proper prefix of a value or a token prefix, so at most
 * (longest value or prefix − 1) bytes. {@link #finish} releases the rest at end of stream. Values and prefixes are
 * whole UTF-8 strings, so a match always starts and ends on a character boundary of valid UTF-8 input: the masker
 * never masks half a character.
 *
 * <p>Not thread-safe; one instance per trace.
 */
public final class SecretMasker {
    /** gitlab-runner's replacement text. */
    public static final String MASK = "[MASKED]";
    /** gitlab-runner always masks personal access tokens, whatever the job's features say. */
    public static final String DEFAULT_TOKEN_PREFIX = "glpat-";
    /** gitlab-runner ignores prefixes beyond the first 15 distinct ones (shortest first; {@code tokensanitizer.New}). */
    public static final int MAX_TOKEN_PREFIXES = 15;

    /**
     * The prefixes gitlab-runner adds with {@code FF_MASK_ALL_DEFAULT_TOKENS} (on by default), after {@code glpat-}:
     * {@code allTokenPrefixes} of {@code common/buildlogger/internal/tokensanitizer/token_masker.go}.
     */
    public static final List<String> ALL_DEFAULT_TOKEN_PREFIXES = List.of(
            "gloas-",
            "gldt-",
            "glrt-",
            "glcbt-",
            "glrtr-",
            "glptt-",
            "glft-",
            "glimt-",
            "glagent-",
            "glsoat-",
            "glffct-",
            "_gitlab_session=",
            "gltok-");

    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] TOKEN_ALPHABET = tokenAlphabet();

    /** Per first byte: the values starting with it, longest first. */
    private final byte[][][] valuesByFirstByte = new byte[256][][];

    private final byte[][] prefixes;
    /**
     * Per first byte: the token prefixes starting with it, longest first; null for none. The prefix search ran at every
     * byte over every prefix and was the log path's top frame (bench/README.md, issue #16); a prefix whose first byte
     * differs can neither match nor be partial, so looking only at these gives the same answer.
     */
    private final byte[][][] prefixesByFirstByte = new byte[256][][];

    private final int longest;

    /**
     * One pass over the bytes, with a look at the patterns only where one may start: the first two bytes of every
     * value and token prefix (URL-encoded forms included) as a set of byte pairs, a bit each (a one-byte pattern puts
     * in every pair it begins). Most text has no such pair, so most bytes cost one bit test ({@link
     * #nextPossibleStart}). {@link #firstBytes} holds every first byte, for the last byte of the input where no pair
     * can be formed yet.
     */
    private final long[] pairs = new long[65536 / 64];

    private final boolean[] firstBytes = new boolean[256];

    /**
     * The same starts as word masks, when there are few of them (a job's usual token prefixes share {@code gl}): each
     * pair's bytes, and each one-byte pattern's, repeated eight times, so {@link #nextPossibleStart} tests eight
     * positions at once; null when there are more than {@link #MAX_WORD_STARTS}, where the bit set is faster.
     */
    private final long[] wordFirsts;

    private final long[] wordSeconds;
    private final long[] wordSingles;
    private static final int MAX_WORD_STARTS = 6;

    private static final byte[] EMPTY = new byte[0];
    /**
     * Twice the {@link TraceWriter#SLICE_BYTES} the build's copy is written in, so a slice with a mask in it (one in
     * a thousand lines of the benchmark's log has one, so every slice does) reuses the buffer instead of growing a new
     * one from 8 KiB each time: that growth was a top frame once the copy went through in slices (bench/README.md,
     * issue #16). A buffer that held more is dropped after its write, so at most twice this stays per trace.
     */
    private static final int KEPT_OUTPUT_BUFFER = 2 * TraceWriter.SLICE_BYTES;
    /**
     * The output of one write, kept between writes so a write allocates only what it returns; replaced after a write
     * larger than {@link #KEPT_OUTPUT_BUFFER}, so one long line does not keep its size of heap for the job's life.
     */
    private ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    /**
     * Until a write's first mask its output is one run of its input, {@code directIn[directFrom, directEnd)}, kept as
     * bounds instead of copied into {@link #out}: a write with nothing to mask (nearly every line) copies nothing
     * (the copy into {@code out} was a cost of every line, bench/README.md, issue #16). {@code direct} false: the
     * output is in {@code out}.
     */
    private boolean direct;

    private byte[] directIn;
    private int directFrom;
    private int directEnd;

    private byte[] pending = EMPTY;
    private boolean inToken;
    private boolean tokenHasBody;

    public SecretMasker(Collection<String> maskedValues, Collection<String> tokenPrefixes) {
        List<byte[]> values = distinctNonEmpty(maskedValues).stream()
                .map(v -> v.getBytes(StandardCharsets.UTF_8))
                .sorted(Comparator.comparingInt((byte[] b) -> b.length).reversed())
                .toList();
        for (int first = 0; first < 256; first++) {
            int f = first;
            byte[][] starting = values.stream().filter(v -> (v[0] & 0xff) == f).toArray(byte[][]::new);
            valuesByFirstByte[first] = starting.length == 0 ? null : starting;
        }
        this.prefixes = prefixList(tokenPrefixes);
        for (int first = 0; first < 256; first++) {
            int f = first;
            byte[][] starting =
                    Arrays.stream(prefixes).filter(p -> (p[0] & 0xff) == f).toArray(byte[][]::new);
            prefixesByFirstByte[first] = starting.length == 0 ? null : starting;
        }
        int max = 0;
        for (byte[] v : values) {
            max = Math.max(max, v.length);
        }
        for (byte[] p : prefixes) {
            max = Math.max(max, p.length);
        }
        this.longest = max;
        values.forEach(this::indexStart);
        Arrays.stream(prefixes).forEach(this::indexStart);
        Set<Integer> startPairs = new LinkedHashSet<>();
        Set<Integer> singles = new LinkedHashSet<>();
        values.forEach(v -> addStart(v, startPairs, singles));
        Arrays.stream(prefixes).forEach(p -> addStart(p, startPairs, singles));
        if (startPairs.size() + singles.size() <= MAX_WORD_STARTS) {
            wordFirsts = startPairs.stream()
                    .mapToLong(p -> ByteScan.LOW_BITS * (p >>> 8))
                    .toArray();
            wordSeconds = startPairs.stream()
                    .mapToLong(p -> ByteScan.LOW_BITS * (p & 0xff))
                    .toArray();
            wordSingles = singles.stream().mapToLong(b -> ByteScan.LOW_BITS * b).toArray();
        } else {
            wordFirsts = null;
            wordSeconds = null;
            wordSingles = null;
        }
    }

    private static void addStart(byte[] pattern, Set<Integer> pairs, Set<Integer> singles) {
        if (pattern.length == 1) {
            singles.add(pattern[0] & 0xff);
        } else {
            pairs.add(((pattern[0] & 0xff) << 8) | (pattern[1] & 0xff));
        }
    }

    private void indexStart(byte[] pattern) {
        int first = pattern[0] & 0xff;
        firstBytes[first] = true;
        if (pattern.length == 1) {
            for (int second = 0; second < 256; second++) {
                addPair((first << 8) | second);
            }
        } else {
            addPair((first << 8) | (pattern[1] & 0xff));
        }
    }

    private void addPair(int pair) {
        pairs[pair >>> 6] |= 1L << pair;
    }

    /**
     * The first position at or after {@code pos} (before {@code end}) where a value or token prefix may match, whole
     * or in part; {@code end} if there is none. The pair is rolled along, one byte read per position: this loop is
     * where masking spends its time on text with nothing to mask (bench/README.md, issue #16).
     */
    private int nextPossibleStart(byte[] in, int pos, int end) {
        int last = end - 1;
        int at = pos;
        if (wordFirsts != null) {
            // Positions at..at+7, whose pairs reach in[at + 8]. A marked lane is a start: the lowest mark of each
            // test is a real one, so the lowest of them all is the first start.
            for (; at + Long.BYTES < end; at += Long.BYTES) {
                long here = ByteScan.word(in, at);
                long next = ByteScan.word(in, at + 1);
                long starts = 0;
                for (int p = 0; p < wordFirsts.length; p++) {
                    starts |= ByteScan.zeroBytes((here ^ wordFirsts[p]) | (next ^ wordSeconds[p]));
                }
                for (long single : wordSingles) {
                    starts |= ByteScan.zeroBytes(here ^ single);
                }
                if (starts != 0) {
                    return at + (Long.numberOfTrailingZeros(starts) >>> 3);
                }
            }
        }
        if (at < last) {
            int pair = in[at] & 0xff;
            for (; at < last; at++) {
                pair = ((pair << 8) | (in[at + 1] & 0xff)) & 0xffff;
                if ((pairs[pair >>> 6] & (1L << pair)) != 0) {
                    return at;
                }
            }
        }
        return at < end && firstBytes[in[at] & 0xff] ? at : end;
    }

    /**
     * The job's {@code features.token_mask_prefixes} and gitlab-runner's defaults ({@code DefaultTokenPrefixes}):
     * {@code glpat-} always, the others with {@code FF_MASK_ALL_DEFAULT_TOKENS}.
     */
    public static List<String> withDefaultPrefixes(Collection<String> jobPrefixes, boolean maskAllDefaultTokens) {
        List<String> all = new ArrayList<>(jobPrefixes == null ? List.of() : jobPrefixes);
        all.add(DEFAULT_TOKEN_PREFIX);
        if (maskAllDefaultTokens) {
            all.addAll(ALL_DEFAULT_TOKEN_PREFIXES);
        }
        return all;
    }

    /**
     * The masked values and, for each, its URL-encoded forms: form encoding ({@code URLEncoder}, what
     * {@code curl --data-urlencode} and HTML forms send) and RFC 3986 percent-encoding, each with upper- and lower-case
     * hex. Deliberately more than gitlab-runner: its masker matches each phrase only as written
     * ({@code common/buildlogger/internal/masker}, phrases from {@code common/spec/variables.go} {@code Masked()}),
     * so a masked value a build puts in a query string reaches its trace; GitLab's masked values may hold
     * {@code + / = @ :}, which URL encoding changes (issue #18).
     */
    public static List<String> withUrlEncodedForms(Collection<String> maskedValues) {
        Set<String> all = new LinkedHashSet<>();
        for (String value : distinctNonEmpty(maskedValues)) {
            all.add(value);
            String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
            String rfc3986 = percentEncoded(value);
            all.add(form);
            all.add(lowerCaseHex(form));
            all.add(rfc3986);
            all.add(lowerCaseHex(rfc3986));
        }
        return List.copyOf(all);
    }

    /** RFC 3986: every byte but the unreserved {@code A-Za-z0-9-._~} as {@code %XX}. */
    private static String percentEncoded(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~';
            if (unreserved) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** {@code %2B} as {@code %2b}: the escapes' hex in lower case, the rest as it is. */
    private static String lowerCaseHex(String encoded) {
        StringBuilder sb = new StringBuilder(encoded);
        for (int i = 0; i + 2 < sb.length(); i++) {
            if (sb.charAt(i) == '%') {
                sb.setCharAt(i + 1, Character.toLowerCase(sb.charAt(i + 1)));
                sb.setCharAt(i + 2, Character.toLowerCase(sb.charAt(i + 2)));
                i += 2;
            }
        }
        return sb.toString();
    }

    /** A masker that masks no values and only the {@code glpat-} tokens, like gitlab-runner without the flag. */
    public static SecretMasker defaults() {
        return new SecretMasker(List.of(), List.of());
    }

    /** Bytes held back now: always less than {@link #longestSecret()}. */
    public int heldBytes() {
        return pending.length;
    }

    /** The longest masked value or token prefix in bytes. */
    public int longestSecret() {
        return longest;
    }

    public byte[] write(byte[] chunk) {
        return write(chunk, 0, chunk.length);
    }

    /**
     * Feeds a chunk; returns the bytes that are now final (masked where needed). When nothing was masked or held back
     * that is the chunk itself (given whole) or a copy of its range; neither is changed by the masker afterwards.
     */
    public byte[] write(byte[] chunk, int offset, int length) {
        byte[] input = chunk;
        int from = offset;
        int end = offset + length;
        boolean fresh = pending.length == 0;
        if (!fresh) {
            input = new byte[pending.length + length];
            System.arraycopy(pending, 0, input, 0, pending.length);
            System.arraycopy(chunk, offset, input, pending.length, length);
            from = 0;
            end = input.length;
        }
        startOutput(input, from);
        int held = scan(input, from, end, false);
        pending = held == end ? EMPTY : Arrays.copyOfRange(input, held, end);
        // Every byte of the chunk given whole passed as it was: the chunk itself.
        boolean unchanged = fresh && direct && directEnd == end && offset == 0 && length == chunk.length;
        byte[] result = unchanged ? chunk : output();
        dropLargeBuffer();
        return result;
    }

    private void startOutput(byte[] in, int from) {
        out.reset();
        direct = true;
        directIn = in;
        directFrom = from;
        directEnd = from;
    }

    /** Appends {@code in[from, from + length)} to this write's output. */
    private void append(byte[] in, int from, int length) {
        if (direct && in == directIn && from == directEnd) {
            directEnd += length;
            return;
        }
        toBuffer();
        out.write(in, from, length);
    }

    /** The output so far moves into {@link #out}: something other than the next run of the input follows. */
    private void toBuffer() {
        if (direct) {
            out.write(directIn, directFrom, directEnd - directFrom);
            direct = false;
        }
    }

    private byte[] output() {
        byte[] result = direct ? Arrays.copyOfRange(directIn, directFrom, directEnd) : out.toByteArray();
        directIn = null; // the chunk is the caller's: not kept alive until the next write
        return result;
    }

    private void dropLargeBuffer() {
        if (out.size() > KEPT_OUTPUT_BUFFER) {
            out = new ByteArrayOutputStream(8192);
        }
    }

    /** End of stream: releases everything still held back, and closes a token that ends the stream. */
    public byte[] finish() {
        startOutput(pending, 0);
        scan(pending, 0, pending.length, true);
        pending = EMPTY;
        if (inToken && tokenHasBody) {
            writeMask();
        }
        inToken = false;
        tokenHasBody = false;
        return output();
    }

    private void writeMask() {
        toBuffer();
        out.writeBytes(MASK_BYTES);
    }

    /** Writes the final bytes of {@code in[from, end)} to {@code out}; returns where the held-back tail starts. */
    private int scan(byte[] in, int from, int end, boolean endOfStream) {
        int pos = from;
        int plainFrom = from;
        while (pos < end) {
            if (inToken) {
                if (TOKEN_ALPHABET[in[pos] & 0xff]) {
                    tokenHasBody = true;
                    pos++;
                    plainFrom = pos;
                    continue;
                }
                if (tokenHasBody) {
                    writeMask();
                }
                inToken = false;
                tokenHasBody = false;
                plainFrom = pos;
            }
            pos = nextPossibleStart(in, pos, end);
            if (pos == end) {
                break;
            }
            int prefix = matchPrefix(in, pos, end, endOfStream);
            if (prefix == UNDECIDED) {
                append(in, plainFrom, pos - plainFrom);
                return pos;
            }
            if (prefix > 0) {
                append(in, plainFrom, pos - plainFrom + prefix);
                pos += prefix;
                plainFrom = pos;
                inToken = true;
                continue;
            }
            int value = matchValue(in, pos, end, endOfStream);
            if (value == UNDECIDED) {
                append(in, plainFrom, pos - plainFrom);
                return pos;
            }
            if (value > 0) {
                append(in, plainFrom, pos - plainFrom);
                writeMask();
                pos += value;
                plainFrom = pos;
                continue;
            }
            pos++;
        }
        append(in, plainFrom, pos - plainFrom);
        return pos;
    }

    private static final int UNDECIDED = -1;

    /** Length of the token prefix at {@code pos}, 0 for none, UNDECIDED if the input ends inside a possible prefix. */
    private int matchPrefix(byte[] in, int pos, int end, boolean endOfStream) {
        byte[][] candidates = prefixesByFirstByte[in[pos] & 0xff];
        if (candidates == null) {
            return 0;
        }
        boolean undecided = false;
        for (byte[] p : candidates) {
            int m = compare(in, pos, end, p);
            if (m == p.length) {
                // A longer prefix that the input ends inside may still match and would win: wait for it, else the
                // result would depend on where the stream was cut (glpa|t-x read as prefix gl with body pat-x).
                return undecided ? UNDECIDED : p.length;
            }
            if (m == PARTIAL && !endOfStream) {
                undecided = true;
            }
        }
        return undecided ? UNDECIDED : 0;
    }

    /**
     * Length of the longest value at {@code pos}, 0 for none, UNDECIDED while a value (longer than any full match here)
     * may still complete with more input.
     */
    private int matchValue(byte[] in, int pos, int end, boolean endOfStream) {
        byte[][] candidates = valuesByFirstByte[in[pos] & 0xff];
        if (candidates == null) {
            return 0;
        }
        for (byte[] v : candidates) { // longest first
            int m = compare(in, pos, end, v);
            if (m == v.length) {
                return v.length;
            }
            if (m == PARTIAL && !endOfStream) {
                return UNDECIDED;
            }
        }
        return 0;
    }

    private static final int PARTIAL = -2;

    /** {@code needle.length} if it occurs at pos, PARTIAL if the input ends in a proper prefix of it, else 0. */
    private static int compare(byte[] in, int pos, int end, byte[] needle) {
        int available = end - pos;
        int n = Math.min(available, needle.length);
        for (int i = 0; i < n; i++) {
            if (in[pos + i] != needle[i]) {
                return 0;
            }
        }
        return n == needle.length ? needle.length : PARTIAL;
    }

    private static Set<String> distinctNonEmpty(Collection<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isEmpty()) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static byte[][] prefixList(Collection<String> tokenPrefixes) {
        List<String> all = new ArrayList<>();
        if (tokenPrefixes != null) {
            all.addAll(tokenPrefixes);
        }
        all.add(DEFAULT_TOKEN_PREFIX);
        // gitlab-runner (internal.Unique, tokensanitizer.New) trims, sorts by length then by bytes, and keeps the
        // first 15 distinct prefixes.
        List<String> trimmedAll = new ArrayList<>();
        all.forEach(p -> trimmedAll.add(p == null ? "" : p.strip()));
        trimmedAll.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        Set<String> unique = new LinkedHashSet<>();
        for (String trimmed : trimmedAll) {
            if (!trimmed.isEmpty() && unique.size() < MAX_TOKEN_PREFIXES) {
                unique.add(trimmed);
            }
        }
        // Longest first, so a prefix that extends another one wins.
        return unique.stream()
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .sorted(Comparator.comparingInt((byte[] b) -> b.length).reversed())
                .toArray(byte[][]::new);
    }

    private static boolean[] tokenAlphabet() {
        boolean[] a = new boolean[256];
        for (char c = '0'; c <= '9'; c++) {
            a[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            a[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            a[c] = true;
        }
        a['-'] = true;
        a['.'] = true;
        a['_'] = true;
        a['='] = true;
        return a;
    }
}
