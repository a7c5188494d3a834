package io.runnerfleet.testing.kubelet;

import io.runnerfleet.manager.trace.KubernetesLogFiles;
import io.runnerfleet.manager.trace.LogFileReader;
import io.runnerfleet.manager.trace.LogStreamException;
import io.runnerfleet.manager.trace.TraceContainer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kubelet stand-in's {@code /exec/{ns}/{pod}/{container}?command=...}: what the API server passes on for a
 * {@code pods/exec} request, here over WebSocket with the channel protocol {@code v4.channel.k8s.io} (each binary
 * message starts with its channel: 1 stdout, 2 stderr, 3 the final {@code Status}, whose {@code NonZeroExitCode}
 * cause carries the exit code; {@code k8s.io/apimachinery/pkg/util/httpstream/wsstream/conn.go} and
 * {@code k8s.io/client-go/tools/remotecommand}).
 *
 * <p>It runs one command: the build log file read of {@link KubernetesLogFiles#SCRIPT} ({@code sh -c SCRIPT read-log
 * <file> <offset> <bytes> <exit-file>}), answered from {@link SimulatedLogFiles} (the build container's whole output,
 * rotated or not, and the helper's wait for its reader). Any other command exits 127 with a message saying so. An
 * exec into a helper that has terminated is refused with 400 before the upgrade, as the kubelet refuses an exec into
 * a container that is not running.
 */
final class StandInExec {
    /** The one channel protocol fabric8's exec asks for. */
    static final String PROTOCOL = "v4.channel.k8s.io";

    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte STATUS = 3;
    /** Messages are kept well under Vert.x's frame size, so none is fragmented. */
    private static final int MESSAGE_BYTES = 32 * 1024;

    private final SimulatedLogFiles files;
    private final AtomicInteger requests = new AtomicInteger();

    StandInExec(SimulatedLogFiles files) {
        this.files = files;
    }

    int requests() {
        return requests.get();
    }

    void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        String[] parts = request.path().split("/");
        List<String> command = request.params().getAll("command");
        if (parts.length != 5) {
            request.response().setStatusCode(400).end("expected /exec/{namespace}/{pod}/{container}\n");
            return;
        }
        String namespace = decode(parts[2]);
        String pod = decode(parts[3]);
        Answer answer;
        try {
            answer = run(namespace, pod, command);
        } catch (LogStreamException e) {
            request.response().setStatusCode(400).end(e.getMessage());
            return;
        }
        request.toWebSocket().onSuccess(ws -> send(ws, answer)).onFailure(e -> {
            if (!request.response().ended()) {
                request.response().setStatusCode(400).end("exec needs a WebSocket upgrade: " + e.getMessage());
            }
        });
    }

    private record Answer(byte[] stdout, String stderr, int exitCode) {}

    private Answer run(String namespace, String pod, List<String> command) throws LogStreamException {
        if (command.size() != 8 || !KubernetesLogFiles.SCRIPT.equals(command.get(2))) {
            return new Answer(
                    new byte[0], "the kubelet stand-in runs only KubernetesLogFiles' read, not " + command + "\n", 127);
        }
        long offset = Long.parseLong(command.get(5));
        int most = Integer.parseInt(command.get(6));
        try {
            LogFileReader.Chunk chunk = files.of(namespace, pod).read(TraceContainer.BUILD, offset);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(((chunk.ended() ? "ended" : "running") + "\n").getBytes(StandardCharsets.US_ASCII));
            byte[] bytes = chunk.bytes();
            out.write(bytes, 0, Math.min(bytes.length, most));
            return new Answer(out.toByteArray(), "", 0);
        } catch (LogFileReader.Unavailable e) {
            // The script's exit status for a build whose image could not tee.
            return new Answer(new byte[0], "", 3);
        }
    }

    private static void send(ServerWebSocket ws, Answer answer) {
        byte[] out = answer.stdout();
        for (int at = 0; at < out.length; at += MESSAGE_BYTES) {
            ws.writeBinaryMessage(message(STDOUT, out, at, Math.min(out.length, at + MESSAGE_BYTES)));
        }
        if (!answer.stderr().isEmpty()) {
            byte[] err = answer.stderr().getBytes(StandardCharsets.UTF_8);
            ws.writeBinaryMessage(message(STDERR, err, 0, err.length));
        }
        byte[] status = status(answer.exitCode()).getBytes(StandardCharsets.UTF_8);
        ws.writeBinaryMessage(message(STATUS, status, 0, status.length));
        ws.close();
    }

    private static Buffer message(byte channel, byte[] bytes, int from, int to) {
        return Buffer.buffer(1 + to - from).appendByte(channel).appendBytes(bytes, from, to - from);
    }

    /** The Status the kubelet sends on the error channel when the command ended (client-go's remotecommand reads it). */
    private static String status(int exitCode) {
        if (exitCode == 0) {
            return "{\"metadata\":{},\"status\":\"Success\"}";
        }
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: "
                + "error executing command, exit status " + exitCode + "\",\"reason\":\"NonZeroExitCode\","
                + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"" + exitCode + "\"}]}}";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
