package io.runnerfleet.testing;

import static org.awaitility.Awaitility.await;

import io.runnerfleet.jobpod.S3Presigner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for the cache tests: gaul's s3proxy (a Java S3 front end, in-memory storage), started as a second
 * JVM from its jar in the local Maven repository. It checks AWS Signature V4 as S3 does, presigned URLs included: a
 * wrong key gets {@code 403 SignatureDoesNotMatch}, a URL past its {@code X-Amz-Expires} {@code 403 AccessDenied,
 * Request has expired}. moto's server, tried first, checks no presigned signature at all (moto 5.2 reads
 * {@code X-Amz-Signature} nowhere), so it could not show that ours are right.
 *
 * <p>{@code .ci/run} fetches the jar with Maven ({@link #INSTALL}); without it the tests fail naming that command.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String VERSION = "2.6.0";
    public static final String INSTALL = "./mvnw -B -q dependency:get -Dtransitive=false"
            + " -Dartifact=org.gaul:s3proxy:" + VERSION + ":jar:jar-with-dependencies";
    public static final String ACCESS_KEY = "RUNNERFLEETTESTKEY";
    public static final String SECRET_KEY = "runner-fleet-test-secret-key";

    private final Process process;
    private final String address;
    private final String bucket;
    private final Path log;

    private S3ProxyServer(Process process, String address, String bucket, Path log) {
        this.process = process;
        this.address = address;
        this.bucket = bucket;
        this.log = log;
    }

    /** The jar, where Maven puts it ({@code maven.repo.local} honoured). */
    public static Path jar() {
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        return Path.of(repo, "org/gaul/s3proxy", VERSION, "s3proxy-" + VERSION + "-jar-with-dependencies.jar");
    }

    /**
     * Starts the server on {@code bind} (loopback, or the test cluster's bridge so that pods reach it) and creates
     * {@code bucket} with a request our own presigner signed.
     */
    public static S3ProxyServer start(InetAddress bind, Path dir, String bucket) throws IOException {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no S3 server: " + jar + " is missing; run `" + INSTALL
                    + "` (.ci/run does) to fetch s3proxy from Maven Central");
        }
        int port = freePort(bind);
        String address = bind.getHostAddress() + ":" + port;
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://" + address,
                        // V4 only: a V2 signature (boto's old default) is refused like a wrong one.
                        "s3proxy.authorization=aws-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=transient",
                        "jclouds.identity=unused",
                        "jclouds.credential=unused",
                        ""));
        Path log = dir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-jar",
                        jar.toString(),
                        "--properties",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        S3ProxyServer server = new S3ProxyServer(process, address, bucket, log);
        try {
            await("s3proxy listening on " + address)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("s3proxy exited: " + Files.readString(log));
                        }
                        return accepts(bind, port);
                    });
            HttpResponse<String> created = server.send("PUT", "/" + bucket, SECRET_KEY, Instant.now(), 60);
            if (created.statusCode() != 200) {
                throw new IllegalStateException("creating bucket " + bucket + ": " + created.body());
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code host:port}, for {@code [runners.cache.s3] ServerAddress}. */
    public String address() {
        return address;
    }

    /** The bucket {@link #start} created. */
    public String bucket() {
        return bucket;
    }

    /** A request presigned by {@link S3Presigner} with {@code secretKey}, signed at {@code at}, sent as is. */
    public HttpResponse<String> send(String method, String path, String secretKey, Instant at, long expires) {
        String url = new S3Presigner(ACCESS_KEY, secretKey, "").presign(method, "http", address, path, at, expires);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20))
                .build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private static boolean accepts(InetAddress bind, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(bind, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(InetAddress bind) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, bind)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
