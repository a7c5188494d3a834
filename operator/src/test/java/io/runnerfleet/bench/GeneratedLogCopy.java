package io.runnerfleet.bench;

import io.runnerfleet.manager.trace.KubernetesLogFiles;
import io.runnerfleet.manager.trace.LogFileReader;
import io.runnerfleet.manager.trace.LogStreamException;
import io.runnerfleet.manager.trace.TraceContainer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the build's copy from {@link GeneratedLogServer} the way {@link KubernetesLogFiles} reads the Job Pod's: one
 * read of at most {@link KubernetesLogFiles#CHUNK_BYTES} per call, the whole output gathered into one array, then the
 * header line cut off into a second one. What differs: the bytes come by a plain HTTP GET on loopback, where a real
 * job's come through {@code pods/exec} (a WebSocket through the API server and the kubelet to the helper's
 * {@code tail | head}); that transport is not measured.
 */
final class GeneratedLogCopy implements LogFileReader {
    private static final byte[] ENDED = "ended\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    private final AtomicLong bytesRead = new AtomicLong();

    GeneratedLogCopy(GeneratedLogServer server) {
        this.url = server.url() + GeneratedLogServer.COPY_PATH;
    }

    /** Text bytes the follower read from the copy (not through the log stream). */
    long bytesRead() {
        return bytesRead.get();
    }

    @Override
    public Chunk read(String container, long offset) throws LogStreamException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(url + "?offset=" + offset + "&limit=" + KubernetesLogFiles.CHUNK_BYTES))
                .build();
        byte[] output;
        try (InputStream in =
                http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
            output = in.readNBytes(KubernetesLogFiles.CHUNK_BYTES + 64);
        } catch (IOException e) {
            throw new LogStreamException(0, "reading the copy at " + offset + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogStreamException(0, "interrupted reading the copy", e);
        }
        if (!Arrays.equals(output, 0, ENDED.length, ENDED, 0, ENDED.length)) {
            throw new LogStreamException(0, "the copy's read at " + offset + " has no header", null);
        }
        byte[] text = Arrays.copyOfRange(output, ENDED.length, output.length);
        bytesRead.addAndGet(text.length);
        return new Chunk(text, true);
    }

    @Override
    public int chunkBytes() {
        return KubernetesLogFiles.CHUNK_BYTES;
    }

    @Override
    public boolean keepsFile(String container) {
        return TraceContainer.BUILD.equals(container);
    }
}
