package io.runnerfleet.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.runnerfleet.manager.trace.KubeletTimestamps;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands in for the API server's pod log endpoint ({@code GET /api/v1/namespaces/NS/pods/POD/log?follow=true&
 * timestamps=true[&sinceTime=T]}) for one container that has written {@code lines} lines, generated on the fly and
 * streamed (chunked), so that hundreds of MB pass without being held in memory on either side.
 *
 * <p>Line i is stamped {@code BASE + i ms} (so {@code sinceTime}, whole seconds, resumes exactly) and carries
 * {@link #LINE_BYTES} bytes of text with its newline; every {@link #SECRET_EVERY}-th line contains {@code secret},
 * which masking must replace.
 *
 * <p>It also serves the copy of that output the Job Pod keeps in {@code /builds} ({@code GET /copy?offset=O&limit=N}:
 * the header line and up to N bytes of text from byte O, as {@code KubernetesLogFiles}' read prints them), which
 * {@link GeneratedLogCopy} reads: a real job's build is read from there past its first 2 MiB.
 *
 * <p>Why not the fabric8 mock server with the simulated kubelet: it builds each response whole on one event loop
 * from lines held in memory, so a 200 MB log would be a 200 MB string (and more) in the benchmark's own heap, which
 * is the figure being measured.
 */
final class GeneratedLogServer implements AutoCloseable {
    static final int LINE_BYTES = 100;
    static final int SECRET_EVERY = 1000;
    static final String COPY_PATH = "/copy";
    private static final long BASE_EPOCH_SECOND = 1_735_689_600L; // 2025-01-01T00:00:00Z

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "log-server");
        t.setDaemon(true);
        return t;
    });
    private final long lines;
    /** What follows the line number on a line that carries the secret. */
    private final byte[] secretAfterNumber;

    private static final byte[] SPACE = {' '};
    /** a to z over and over, long enough for a line's filler from any of its first 26 bytes. */
    private static final byte[] FILLER = filler();

    GeneratedLogServer(long lines, String secret) throws IOException {
        this.lines = lines;
        this.secretAfterNumber = (" token=" + secret + " ").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.createContext(COPY_PATH, this::copy);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Bytes of container output (text and newlines, no timestamps). */
    long textBytes() {
        return lines * LINE_BYTES;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            long from = 0;
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("sinceTime=")) {
                        Instant since =
                                KubeletTimestamps.parse(URLDecoder.decode(pair.substring(10), StandardCharsets.UTF_8));
                        from = Math.max(0, (since.getEpochSecond() - BASE_EPOCH_SECOND) * 1000);
                    }
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 64 * 1024)) {
                byte[] line = new byte[64 + LINE_BYTES];
                String second = null;
                long secondOf = -1;
                for (long i = from; i < lines; i++) {
                    long s = BASE_EPOCH_SECOND + i / 1000;
                    if (s != secondOf) {
                        secondOf = s;
                        String full = KubeletTimestamps.format(Instant.ofEpochSecond(s));
                        second = full.substring(0, full.length() - 1); // without the Z
                    }
                    int n = timestamp(line, second, (int) (i % 1000));
                    n = text(line, n, i);
                    out.write(line, 0, n);
                }
            } catch (IOException e) {
                // the reader went away (cancel): fine
            }
        }
    }

    /**
     * The copy's read: {@code ended} (the build has ended, the copy is complete) and the text from {@code offset}, at
     * most {@code limit} bytes: the same bytes the log stream carries, without timestamps. Lines have a fixed length,
     * so byte O is in line O / LINE_BYTES.
     */
    private void copy(HttpExchange exchange) throws IOException {
        try (exchange) {
            long offset = 0;
            long limit = 0;
            for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
                if (pair.startsWith("offset=")) {
                    offset = Long.parseLong(pair.substring(7));
                } else if (pair.startsWith("limit=")) {
                    limit = Long.parseLong(pair.substring(6));
                }
            }
            long end = Math.min(textBytes(), offset + limit);
            byte[] header = "ended\n".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, header.length + Math.max(0, end - offset));
            try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 64 * 1024)) {
                out.write(header);
                byte[] line = new byte[LINE_BYTES];
                for (long at = offset; at < end; ) {
                    int skip = (int) (at % LINE_BYTES);
                    text(line, 0, at / LINE_BYTES);
                    int take = (int) Math.min(LINE_BYTES - skip, end - at);
                    out.write(line, skip, take);
                    at += take;
                }
            } catch (IOException e) {
                // the reader went away: fine
            }
        }
    }

    /** {@code <second>.<ms>000123Z } into line; returns the length. */
    private static int timestamp(byte[] line, String second, int millis) {
        int n = 0;
        for (int k = 0; k < second.length(); k++) {
            line[n++] = (byte) second.charAt(k);
        }
        line[n++] = '.';
        line[n++] = (byte) ('0' + millis / 100);
        line[n++] = (byte) ('0' + millis / 10 % 10);
        line[n++] = (byte) ('0' + millis % 10);
        for (byte b : "000123Z ".getBytes(StandardCharsets.US_ASCII)) {
            line[n++] = b;
        }
        return n;
    }

    /** LINE_BYTES of text ending in a newline: the line number, filler, and now and then the secret. */
    private int text(byte[] line, int n, long i) {
        // Byte by byte, no String per line: the server shares the 2 cores with the manager being measured.
        int end = n + LINE_BYTES - 1;
        n = decimal(line, n, i);
        byte[] afterNumber = i % SECRET_EVERY == 7 ? secretAfterNumber : SPACE;
        for (int k = 0; k < afterNumber.length && n < end; k++) {
            line[n++] = afterNumber[k];
        }
        if (n < end) {
            System.arraycopy(FILLER, (int) (i % 26), line, n, end - n);
            n = end;
        }
        line[n++] = '\n';
        return n;
    }

    private static byte[] filler() {
        byte[] f = new byte[26 + LINE_BYTES];
        for (int k = 0; k < f.length; k++) {
            f[k] = (byte) ('a' + k % 26);
        }
        return f;
    }

    /** {@code i} in decimal into line at n; returns the end. */
    private static int decimal(byte[] line, int n, long i) {
        int digits = 1;
        for (long rest = i / 10; rest > 0; rest /= 10) {
            digits++;
        }
        long rest = i;
        for (int k = n + digits - 1; k >= n; k--) {
            line[k] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return n + digits;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
