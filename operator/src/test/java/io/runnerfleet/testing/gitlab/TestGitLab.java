package io.runnerfleet.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * An in-process GitLab that speaks the runner API as docs/gitlab-protocol.md describes, for component tests and
 * benchmarks.
 *
 * <ul>
 *   <li>{@code POST /api/v4/runners/verify}: 200 {@code {id, token, token_expires_at}} for a known runner token,
 *       403 otherwise. A token is known until it expires ({@link Builder#tokenLifetime(Duration)}; never unless
 *       set) or is reset.</li>
 *   <li>{@code POST /api/v4/runners/reset_authentication_token} with {@code {"token": ...}}, as GitLab documents it:
 *       for a known token 201 {@code {id, token, token_expires_at}} with a new token (expiring one lifetime from now),
 *       and the old token is unknown from then on; 403 otherwise.</li>
 *   <li>{@code POST /api/v4/jobs/request}: 403 for an unknown runner token; 201 with the next queued job (each handed
 *       out exactly once); otherwise 204 with {@code X-GitLab-Last-Update}. Long polling as Workhorse does it: a
 *       request whose {@code last_update} equals the current queue version is held up to
 *       {@link Builder#longPoll(Duration)} and released as soon as a job is enqueued.</li>
 *   <li>{@code PUT /api/v4/jobs/:id}: 404 unknown job, 403 wrong token, 403 + {@code Job-Status} when the job is no
 *       longer running; {@code state=running} moves pending → running; a final state is checked against the
 *       assembled trace ({@code output.checksum}/{@code bytesize}, mismatch → 412), optionally answered 202 first
 *       ({@link #answerFinalUpdateAccepted(long, int)}), and moves the job to success/failed (canceled when it was
 *       canceling). Every answer carries {@code Job-Status} and {@code X-GitLab-Trace-Update-Interval}.</li>
 *   <li>{@code PATCH /api/v4/jobs/:id/trace}: {@code Content-Range: <start>-<end>} checked strictly: malformed → 400,
 *       {@code start} ≠ current length → 416 with {@code Range: 0-<length>} (as GitLab: the length, which is where
 *       the runner continues), {@code end} ≠ {@code start + body - 1} → 400; otherwise the bytes are appended, 202
 *       with {@code Job-Status}, {@code Range} and {@code X-GitLab-Trace-Update-Interval}. After a 412 a patch at
 *       offset 0 restarts the trace (the runner's {@code trace_reset}).</li>
 * </ul>
 * Faults ({@link FaultPlan}) are drawn from a seeded random per request.
 */
public final class TestGitLab implements AutoCloseable {
    /** The runner token every TestGitLab accepts unless told otherwise. */
    public static final String RUNNER_TOKEN = "glrt-t1_TestRunnerTokenAbCdEf012345";

    public static final long RUNNER_ID = 77;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_PATH = Pattern.compile("/api/v4/jobs/(\\d+)(/trace)?");
    private static final Pattern CONTENT_RANGE = Pattern.compile("(\\d+)-(\\d+)");

    /** A job's state as GitLab names it. */
    public enum State {
        PENDING,
        RUNNING,
        CANCELING,
        SUCCESS,
        FAILED,
        CANCELED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean processing() {
            return this == PENDING || this == RUNNING || this == CANCELING;
        }
    }

    /**
     * What the test can see of a job.
     *
     * @param finalUpdates final PUTs GitLab took (moved the job to a final state); 1 for a well-behaved runner
     * @param puts         every PUT that reached the job (any answer)
     * @param patches      every PATCH that reached the job (any answer)
     * @param tracesLost   times GitLab lost the end of the trace ({@link FaultPlan.Fault#RANGE_LOSS})
     */
    public record JobView(
            long id,
            State state,
            boolean handedOut,
            String failureReason,
            Integer exitCode,
            int finalUpdates,
            int puts,
            int patches,
            long traceLength,
            List<String> reportedStates,
            int tracesLost) {}

    private final HttpServer server;
    private final ExecutorService executor;
    /** Each known runner token and when it expires ({@link Instant#MAX}: never). */
    private final Map<String, Instant> runnerTokens = new ConcurrentHashMap<>();

    /** Volatile: {@link #setTokenLifetime} changes it for the tokens handed out from then on. */
    private volatile Duration tokenLifetime;

    private final AtomicInteger resets = new AtomicInteger();
    private final Duration longPoll;
    private final int updateIntervalSeconds;
    private final boolean strictRangeEnd;
    private final boolean keepTraces;
    private final GitHttpBackend repositories;

    private final Object queueMonitor = new Object();
    private final Deque<Long> queue = new ArrayDeque<>();
    private long queueVersion = 1;
    private volatile boolean closed;

    private final Map<Long, JobEntry> jobs = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile FaultPlan faults;
    private Random faultRandom;
    private final AtomicInteger heldPolls = new AtomicInteger();

    private TestGitLab(Builder b) throws IOException {
        this.tokenLifetime = b.tokenLifetime;
        Instant expiresAt = expiryFrom(Instant.now());
        b.runnerTokens.forEach(token -> runnerTokens.put(token, expiresAt));
        this.longPoll = b.longPoll;
        this.updateIntervalSeconds = b.updateIntervalSeconds;
        this.strictRangeEnd = b.strictRangeEnd;
        this.keepTraces = b.keepTraces;
        setFaults(b.faults);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-gitlab");
            t.setDaemon(true);
            return t;
        });
        this.repositories = b.repositories == null ? null : new GitHttpBackend(b.repositories);
        this.server = HttpServer.create(new InetSocketAddress(b.bindAddress, 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static TestGitLab start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://<bind address>:<port>}, what the manager's {@code url} would be. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    /** Where a job clones the repository {@code fullPath} ({@code acme/shop}) from, as GitLab's {@code repo_url}. */
    public String repositoryUrl(String fullPath) {
        if (repositories == null) {
            throw new IllegalStateException("this test GitLab serves no repositories (Builder.repositories)");
        }
        return url() + "/" + fullPath + ".git";
    }

    @Override
    public void close() {
        closed = true;
        synchronized (queueMonitor) {
            queueMonitor.notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------- test controls

    /** Queues a job for {@code jobs/request}; held long polls are released. Returns its id. */
    public long enqueue(TestJob job) {
        return enqueue(job.json());
    }

    /** Queues a raw job payload (must have {@code id} and {@code token}). */
    public long enqueue(String payloadJson) {
        JsonNode node;
        try {
            node = JSON.readTree(payloadJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("job payload is not JSON", e);
        }
        long id = node.path("id").asLong();
        String token = node.path("token").asText();
        if (id <= 0 || token.isEmpty()) {
            throw new IllegalArgumentException("job payload needs id and token");
        }
        JobEntry entry = new JobEntry(id, token, payloadJson, keepTraces);
        if (jobs.putIfAbsent(id, entry) != null) {
            throw new IllegalArgumentException("job " + id + " already enqueued");
        }
        synchronized (queueMonitor) {
            queue.addLast(id);
            queueVersion++;
            queueMonitor.notifyAll();
        }
        return id;
    }

    /**
     * Cancels a job as a user would: a queued job becomes canceled; a running one {@code canceling}, which the next
     * PATCH/PUT tells the runner ({@code Job-Status: canceling}); its final PUT then makes it {@code canceled}.
     */
    public void cancel(long jobId) {
        JobEntry job = existing(jobId);
        synchronized (queueMonitor) {
            if (queue.remove(jobId)) {
                synchronized (job) {
                    job.state = State.CANCELED;
                }
                return;
            }
        }
        synchronized (job) {
            if (job.state.processing()) {
                job.state = State.CANCELING;
            }
        }
    }

    /** Cancels without grace ({@code canceled} at once): the next PATCH/PUT gets 403 with {@code Job-Status}. */
    public void forceCancel(long jobId) {
        JobEntry job = existing(jobId);
        synchronized (queueMonitor) {
            queue.remove(jobId);
        }
        synchronized (job) {
            if (job.state.processing()) {
                job.state = State.CANCELED;
            }
        }
    }

    /** Flips one byte of the stored trace (a lost chunk in GitLab's storage): the final PUT will get 412. */
    public void corruptTrace(long jobId) {
        JobEntry job = existing(jobId);
        synchronized (job) {
            if (job.traceLength == 0 || !job.keepTrace) {
                throw new IllegalStateException("job " + jobId + " has no trace to corrupt");
            }
            job.trace[job.traceLength / 2] ^= 0x20;
        }
    }

    /** The next {@code times} final PUTs of the job are answered 202 (GitLab still processing the trace). */
    /** The job's next {@code PUT state=running} gets {@code status} instead (e.g. 403, 404, 409), state unchanged. */
    public void answerNextRunningUpdate(long jobId, int status) {
        JobEntry job = existing(jobId);
        synchronized (job) {
            job.nextRunningStatus = status;
        }
    }

    public void answerFinalUpdateAccepted(long jobId, int times) {
        JobEntry job = existing(jobId);
        synchronized (job) {
            job.final202 = times;
        }
    }

    public void setFaults(FaultPlan plan) {
        synchronized (this) {
            this.faultRandom = new Random(plan.seed());
            this.faults = plan;
        }
    }

    // ---------------------------------------------------------------------------------------------- accessors

    public JobView job(long jobId) {
        JobEntry job = existing(jobId);
        synchronized (job) {
            return new JobView(
                    job.id,
                    job.state,
                    job.handedOut,
                    job.failureReason,
                    job.exitCode,
                    job.finalUpdates,
                    job.puts,
                    job.patches,
                    job.traceLength,
                    List.copyOf(job.reportedStates),
                    job.tracesLost);
        }
    }

    public State state(long jobId) {
        return job(jobId).state();
    }

    /** The trace GitLab assembled for the job (empty when built with {@code keepTraces(false)}). */
    public byte[] trace(long jobId) {
        JobEntry job = existing(jobId);
        synchronized (job) {
            return job.keepTrace ? Arrays.copyOf(job.trace, job.traceLength) : new byte[0];
        }
    }

    public String traceText(long jobId) {
        return new String(trace(jobId), StandardCharsets.UTF_8);
    }

    /** Every request received, in arrival order of completion. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> requests(String endpoint) {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r : requests) {
            if (r.endpoint().equals(endpoint)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * How long runner tokens handed out from now on (by a reset) live, as an admin changing GitLab's runner token
     * expiration: a test starts with a token that expires in seconds and rotates it into one that lives long.
     */
    public void setTokenLifetime(Duration value) {
        this.tokenLifetime = value;
    }

    /** The runner tokens GitLab accepts now (a reset replaces the one it was asked with). */
    public Set<String> runnerTokens() {
        Set<String> known = new TreeSet<>();
        runnerTokens.keySet().stream().filter(this::isKnownToken).forEach(known::add);
        return known;
    }

    public int queueSize() {
        synchronized (queueMonitor) {
            return queue.size();
        }
    }

    /** {@code jobs/request} calls being held right now (long polling). */
    public int heldPolls() {
        return heldPolls.get();
    }

    /** The current queue version, as {@code X-GitLab-Last-Update} reports it. */
    public String lastUpdate() {
        synchronized (queueMonitor) {
            return versionString();
        }
    }

    private JobEntry existing(long jobId) {
        JobEntry job = jobs.get(jobId);
        if (job == null) {
            throw new IllegalArgumentException("no job " + jobId);
        }
        return job;
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        Instant received = Instant.now();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (repositories != null && GitHttpBackend.isGitPath(path)) {
            try {
                repositories.serve(exchange, body);
            } finally {
                exchange.close();
            }
            return;
        }
        String endpoint = endpoint(method, path);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        Request request = new Request(path, query, endpoint, headers, body);

        FaultPlan.Fault fault = possible(drawFault(endpoint), request);
        Response response;
        try {
            response = answer(request, fault);
        } catch (RuntimeException e) {
            response = Response.json(500, "{\"message\":\"500 Internal Server Error\"}");
        }
        byte[] recordedBody = !keepTraces && endpoint.equals("patch_trace") ? new byte[0] : body;
        requests.add(new RecordedRequest(
                received,
                method,
                path,
                query,
                endpoint,
                Collections.unmodifiableMap(headers),
                recordedBody,
                response.status,
                fault));
        try {
            response.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            if (fault == FaultPlan.Fault.RESET) {
                cutOff(exchange, response);
            } else if (response.body.length == 0) {
                exchange.sendResponseHeaders(response.status, -1);
            } else {
                exchange.sendResponseHeaders(response.status, response.body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body);
                }
            }
        } catch (IOException e) {
            // the client gave up (timeout fault), or the connection was cut (reset fault): the answer is lost
        } finally {
            exchange.close();
        }
    }

    /**
     * {@code fault}, or NONE where it would say something else than a passing fault: a 409 to a job's
     * {@code state=running} PUT (the first, or its resend after a lost answer, or a touch) is what GitLab says when the
     * job is not this runner manager's (app/services/ci/update_build_state_service.rb), which the manager rightly takes
     * as "stop, create no pod" (JobOutcomesTest, issue #15), so 409s are injected only on final PUTs, which the manager
     * sends again; a trace end is lost only where GitLab has a trace to lose.
     */
    private FaultPlan.Fault possible(FaultPlan.Fault fault, Request request) {
        if (fault != FaultPlan.Fault.CONFLICT && fault != FaultPlan.Fault.RANGE_LOSS) {
            return fault;
        }
        JobEntry job = handedOutJob(request);
        if (job == null) {
            return FaultPlan.Fault.NONE;
        }
        synchronized (job) {
            if (fault == FaultPlan.Fault.RANGE_LOSS) {
                return job.keepTrace && job.traceLength > 0 && job.state.processing() ? fault : FaultPlan.Fault.NONE;
            }
            JsonNode body = request.json();
            boolean running = body != null && body.path("state").asText("").equals("running");
            return running ? FaultPlan.Fault.NONE : fault;
        }
    }

    /** The answer to {@code request} under {@code fault}: processed or not, as each fault says. */
    private Response answer(Request request, FaultPlan.Fault fault) {
        FaultPlan plan = faults;
        switch (fault) {
            case ERROR:
                return Response.json(plan.errorStatus(), "{\"message\":\"" + plan.errorStatus() + " injected fault\"}");
            case RATE_LIMITED:
                // Rack::Attack's throttle answer: plain text, Retry-After in seconds.
                return Response.text(429, "Retry later\n")
                        .header("Retry-After", Integer.toString(plan.retryAfterSeconds()));
            case CONFLICT:
                return Response.json(409, "{\"message\":\"409 Conflict\"}");
            case TIMEOUT:
                pause(plan.timeoutDelay());
                return dispatch(request);
            case SLOW:
                pause(plan.slowDelay());
                return dispatch(request);
            case RANGE_LOSS:
                Response lost = loseTraceEnd(request);
                return lost != null ? lost : dispatch(request);

            default:
                return dispatch(request);
        }
    }

    /**
     * Sends the status line, the headers and half of the body, then closes the connection (with no body, closes it
     * before the status line): the client reads a broken answer to a request GitLab did process.
     */
    private static void cutOff(HttpExchange exchange, Response response) throws IOException {
        if (response.body.length == 0) {
            return; // exchange.close() before any header closes the connection
        }
        exchange.sendResponseHeaders(response.status, response.body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(response.body, 0, response.body.length / 2);
        out.flush();
        // close() finds bytes missing and closes the connection instead of finishing the answer
    }

    private static String endpoint(String method, String path) {
        if (path.equals("/api/v4/runners/verify") && method.equals("POST")) {
            return "verify_runner";
        }
        if (path.equals("/api/v4/jobs/request") && method.equals("POST")) {
            return "request_job";
        }
        if (path.equals("/api/v4/runners/reset_authentication_token") && method.equals("POST")) {
            return "reset_token";
        }
        Matcher m = JOB_PATH.matcher(path);
        if (m.matches()) {
            String sub = m.group(2);
            if (sub == null && method.equals("PUT")) {
                return "update_job";
            }
            if ("/trace".equals(sub) && method.equals("PATCH")) {
                return "patch_trace";
            }
        }
        return "unknown";
    }

    private FaultPlan.Fault drawFault(String endpoint) {
        synchronized (this) {
            FaultPlan plan = faults;
            if (!plan.endpoints().contains(endpoint)) {
                return FaultPlan.Fault.NONE;
            }
            return plan.draw(endpoint, faultRandom.nextDouble());
        }
    }

    private Response dispatch(Request request) {
        switch (request.endpoint) {
            case "verify_runner":
                return verify(request);
            case "request_job":
                return requestJob(request);
            case "reset_token":
                return resetToken(request);
            case "update_job":
                return updateJob(request);
            case "patch_trace":
                return patchTrace(request);
            default:
                return Response.json(404, "{\"error\":\"404 Not Found\"}");
        }
    }

    private Response verify(Request request) {
        JsonNode body = request.json();
        String token = body == null ? null : body.path("token").asText(null);
        if (!isKnownToken(token)) {
            return Response.json(403, "{\"message\":\"403 Forbidden\"}");
        }
        return Response.json(200, runnerJson(token).toString());
    }

    /** Serialized so that two managers resetting the same token at once get one 201 and one 403, as in GitLab. */
    private synchronized Response resetToken(Request request) {
        JsonNode body = request.json();
        String token = body == null ? null : body.path("token").asText(null);
        if (!isKnownToken(token)) {
            return Response.json(403, "{\"message\":\"403 Forbidden\"}");
        }
        String fresh = "glrt-t1_Rotated" + resets.incrementAndGet() + "x" + Long.toHexString(System.nanoTime());
        runnerTokens.remove(token);
        runnerTokens.put(fresh, expiryFrom(Instant.now()));
        return Response.json(201, runnerJson(fresh).toString());
    }

    private ObjectNode runnerJson(String token) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", RUNNER_ID).put("token", token);
        Instant expiresAt = runnerTokens.getOrDefault(token, Instant.MAX);
        if (expiresAt.equals(Instant.MAX)) {
            out.putNull("token_expires_at");
        } else {
            out.put("token_expires_at", expiresAt.toString());
        }
        return out;
    }

    private boolean isKnownToken(String token) {
        Instant expiresAt = token == null ? null : runnerTokens.get(token);
        return expiresAt != null && Instant.now().isBefore(expiresAt);
    }

    private Instant expiryFrom(Instant now) {
        return tokenLifetime == null ? Instant.MAX : now.plus(tokenLifetime).truncatedTo(ChronoUnit.MILLIS);
    }

    private Response requestJob(Request request) {
        JsonNode body = request.json();
        String token = body == null ? null : body.path("token").asText(null);
        if (!isKnownToken(token)) {
            return Response.json(403, "{\"message\":\"403 Forbidden\"}");
        }
        String lastUpdate = body.path("last_update").asText(null);
        long deadline = System.nanoTime() + longPoll.toNanos();
        synchronized (queueMonitor) {
            Response job = takeJob();
            if (job != null) {
                return job;
            }
            if (lastUpdate != null && lastUpdate.equals(versionString())) {
                long version = queueVersion;
                heldPolls.incrementAndGet();
                try {
                    while (!closed && queueVersion == version) {
                        long remaining = deadline - System.nanoTime();
                        if (remaining <= 0) {
                            break;
                        }
                        try {
                            queueMonitor.wait(Math.max(1, remaining / 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                } finally {
                    heldPolls.decrementAndGet();
                }
                // Workhorse only holds the request; the woken request goes on to Rails, which checks the token then:
                // a token reset while it was held is refused, not handed a job.
                if (!isKnownToken(token)) {
                    return Response.json(403, "{\"message\":\"403 Forbidden\"}");
                }
                job = takeJob();
                if (job != null) {
                    return job;
                }
            }
            return Response.empty(204).header("X-GitLab-Last-Update", versionString());
        }
    }

    /** Hands out the next queued job (caller holds the queue monitor), or null. */
    private Response takeJob() {
        Long id = queue.pollFirst();
        if (id == null) {
            return null;
        }
        JobEntry job = jobs.get(id);
        synchronized (job) {
            job.handedOut = true;
        }
        return Response.json(201, job.payload).header("X-GitLab-Last-Update", versionString());
    }

    private String versionString() {
        return "queue-" + Long.toHexString(queueVersion * 2654435761L & 0xffffffffL) + "-" + queueVersion;
    }

    private Response updateJob(Request request) {
        JobEntry job = handedOutJob(request);
        if (job == null) {
            return Response.json(404, "{\"message\":\"404 Not Found\"}");
        }
        JsonNode body = request.json();
        if (body == null) {
            return Response.json(400, "{\"error\":\"body is not JSON\"}");
        }
        String token = body.path("token").asText(request.header("job-token"));
        synchronized (job) {
            job.puts++;
            if (!job.token.equals(token)) {
                return Response.json(403, "{\"message\":\"403 Forbidden\"}");
            }
            if (!job.state.processing()) {
                return Response.json(403, "{\"message\":\"403 Forbidden - Job is not running\"}")
                        .header("Job-Status", job.state.wire());
            }
            String state = body.path("state").asText("");
            job.reportedStates.add(state);
            switch (state) {
                case "running":
                    if (job.nextRunningStatus != 0) {
                        int status = job.nextRunningStatus;
                        job.nextRunningStatus = 0;
                        return Response.json(status, "{\"message\":\"" + status + "\"}");
                    }
                    if (job.state == State.PENDING) {
                        job.state = State.RUNNING;
                    }
                    return withJobHeaders(Response.text(200, "200"), job);
                case "success":
                case "failed":
                    return finalUpdate(job, body, state);
                default:
                    return Response.json(400, "{\"error\":\"state does not have a valid value\"}");
            }
        }
    }

    /** Caller holds the job's monitor. */
    private Response finalUpdate(JobEntry job, JsonNode body, String state) {
        if (job.final202 > 0) {
            job.final202--;
            return withJobHeaders(Response.text(202, "202"), job);
        }
        JsonNode output = body.path("output");
        String checksum = output.path("checksum").asText(body.path("checksum").asText(null));
        if (checksum != null) {
            String actual = String.format(Locale.ROOT, "crc32:%08x", job.traceCrc());
            boolean sizeMismatch =
                    output.has("bytesize") && output.get("bytesize").asLong() != job.traceLength;
            if (!actual.equals(checksum) || sizeMismatch) {
                job.resetAllowed = true;
                return withJobHeaders(Response.text(412, "412"), job);
            }
        }
        if (job.state == State.CANCELING) {
            job.state = State.CANCELED;
        } else {
            job.state = state.equals("success") ? State.SUCCESS : State.FAILED;
        }
        job.failureReason =
                body.hasNonNull("failure_reason") ? body.get("failure_reason").asText() : null;
        job.exitCode = body.hasNonNull("exit_code") ? body.get("exit_code").asInt() : null;
        job.finalUpdates++;
        return withJobHeaders(Response.text(200, "200"), job);
    }

    private Response patchTrace(Request request) {
        JobEntry job = handedOutJob(request);
        if (job == null) {
            return Response.json(404, "{\"message\":\"404 Not Found\"}");
        }
        String token = request.header("job-token");
        if (token == null) {
            token = request.queryParam("token");
        }
        synchronized (job) {
            job.patches++;
            if (!job.token.equals(token)) {
                return Response.json(403, "{\"message\":\"403 Forbidden\"}");
            }
            if (!job.state.processing()) {
                return Response.json(403, "{\"message\":\"403 Forbidden - Job is not running\"}")
                        .header("Job-Status", job.state.wire());
            }
            String contentRange = request.header("content-range");
            if (contentRange == null) {
                return Response.json(400, "{\"message\":\"400 Missing header Content-Range\"}");
            }
            Matcher m = CONTENT_RANGE.matcher(contentRange.strip());
            if (!m.matches()) {
                return Response.json(400, "{\"message\":\"400 Malformed Content-Range\"}");
            }
            long start = Long.parseLong(m.group(1));
            long end = Long.parseLong(m.group(2));
            if (start == 0 && job.resetAllowed) {
                job.resetTrace();
                job.resetAllowed = false;
            }
            if (start != job.traceLength) {
                return Response.json(416, "{\"message\":\"416 Range Not Satisfiable\"}")
                        .header("Range", "0-" + job.traceLength);
            }
            if (strictRangeEnd && end != start + request.body.length - 1) {
                return Response.json(
                        400,
                        "{\"message\":\"400 Content-Range end " + end + " does not match " + request.body.length
                                + " bytes from " + start + "\"}");
            }
            job.append(request.body);
            return withJobHeaders(Response.empty(202), job).header("Range", "0-" + job.traceLength);
        }
    }

    /**
     * GitLab has lost the end of the job's trace (a live trace chunk gone): keeps the first half of what it had and
     * answers this PATCH 416 with {@code Range: 0-<that length>}, as for any PATCH not at its length. Null (no
     * fault) when the job is not running with a stored trace to lose.
     */
    private Response loseTraceEnd(Request request) {
        JobEntry job = handedOutJob(request);
        if (job == null) {
            return null;
        }
        synchronized (job) {
            String token = request.header("job-token");
            if (!job.keepTrace || job.traceLength == 0 || !job.token.equals(token) || !job.state.processing()) {
                return null;
            }
            job.patches++;
            job.traceLength = job.traceLength / 2;
            job.tracesLost++;
            return Response.json(416, "{\"message\":\"416 Range Not Satisfiable\"}")
                    .header("Range", "0-" + job.traceLength);
        }
    }

    private JobEntry handedOutJob(Request request) {
        JobEntry job = jobs.get(request.jobId());
        if (job == null) {
            return null;
        }
        synchronized (job) {
            return job.handedOut ? job : null;
        }
    }

    private Response withJobHeaders(Response response, JobEntry job) {
        response.header("Job-Status", job.state.wire());
        if (updateIntervalSeconds > 0) {
            response.header("X-GitLab-Trace-Update-Interval", Integer.toString(updateIntervalSeconds));
        }
        return response;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------- internals

    private static final class JobEntry {
        final long id;
        final String token;
        final String payload;
        final boolean keepTrace;
        private final CRC32 crc = new CRC32();
        State state = State.PENDING;
        boolean handedOut;
        byte[] trace = new byte[1024];
        int traceLength;
        boolean resetAllowed;
        String failureReason;
        Integer exitCode;
        int finalUpdates;
        int puts;
        int patches;
        int final202;
        int nextRunningStatus;
        int tracesLost;
        final List<String> reportedStates = new ArrayList<>();

        JobEntry(long id, String token, String payload, boolean keepTrace) {
            this.id = id;
            this.token = token;
            this.payload = payload;
            this.keepTrace = keepTrace;
        }

        long traceCrc() {
            if (!keepTrace) {
                return crc.getValue();
            }
            CRC32 c = new CRC32();
            c.update(trace, 0, traceLength);
            return c.getValue();
        }

        void resetTrace() {
            traceLength = 0;
            crc.reset();
        }

        void append(byte[] data) {
            if (!keepTrace) {
                crc.update(data);
                traceLength += data.length;
                return;
            }
            if (traceLength + data.length > trace.length) {
                trace = Arrays.copyOf(trace, Math.max(trace.length * 2, traceLength + data.length));
            }
            System.arraycopy(data, 0, trace, traceLength, data.length);
            traceLength += data.length;
        }
    }

    private static final class Request {
        final String path;
        final String query;
        final String endpoint;
        final Map<String, List<String>> headers;
        final byte[] body;

        Request(String path, String query, String endpoint, Map<String, List<String>> headers, byte[] body) {
            this.path = path;
            this.query = query;
            this.endpoint = endpoint;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        long jobId() {
            Matcher m = JOB_PATH.matcher(path);
            return m.matches() ? Long.parseLong(m.group(1)) : -1;
        }

        String queryParam(String name) {
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (key.equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        JsonNode json() {
            try {
                return body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static final class Response {
        final int status;
        final byte[] body;
        final Map<String, String> headers = new LinkedHashMap<>();

        Response(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        static Response json(int status, String json) {
            return new Response(status, json.getBytes(StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json");
        }

        static Response text(int status, String text) {
            return new Response(status, text.getBytes(StandardCharsets.UTF_8)).header("Content-Type", "text/plain");
        }

        static Response empty(int status) {
            return new Response(status, new byte[0]);
        }

        Response header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    /** How to start one. */
    public static final class Builder {
        private Set<String> runnerTokens = Set.of(RUNNER_TOKEN);
        private Duration tokenLifetime;
        private Duration longPoll = Duration.ofSeconds(2);
        private int updateIntervalSeconds = 3;
        private boolean strictRangeEnd = true;
        private boolean keepTraces = true;
        private FaultPlan faults = FaultPlan.NONE;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private Path repositories;

        /**
         * The address to listen on (default loopback). Job Pods on the real test cluster reach this machine at the
         * bridge address ({@code HOST_IP}), so a GitLab for them listens there, and never on every interface.
         */
        public Builder bindAddress(InetAddress value) {
            this.bindAddress = value;
            return this;
        }

        /**
         * Serves the bare repositories below {@code root} ({@code root/acme/shop.git}) at {@code /acme/shop.git}
         * over git's smart HTTP protocol, as GitLab does ({@link #repositoryUrl}).
         */
        public Builder repositories(Path root) {
            this.repositories = root;
            return this;
        }

        public Builder runnerTokens(String... tokens) {
            this.runnerTokens = Set.of(tokens);
            return this;
        }

        /**
         * How long each runner token lives from when it is handed out (the start, or a reset): GitLab's
         * {@code token_expires_at}; an expired token is refused like an unknown one. Unset: tokens never expire.
         */
        public Builder tokenLifetime(Duration value) {
            this.tokenLifetime = value;
            return this;
        }

        /** How long a {@code jobs/request} with the current {@code last_update} is held (GitLab: about 50 s). */
        public Builder longPoll(Duration value) {
            this.longPoll = value;
            return this;
        }

        /**
         * {@code X-GitLab-Trace-Update-Interval} in seconds (GitLab: 3 when someone watches the log, else 30+);
         * 0 sends no such header, so a runner keeps its own interval (fast tests).
         */
        public Builder updateIntervalSeconds(int value) {
            this.updateIntervalSeconds = value;
            return this;
        }

        /** Whether a {@code Content-Range} end that disagrees with the body length is a 400 (default true). */
        public Builder strictRangeEnd(boolean value) {
            this.strictRangeEnd = value;
            return this;
        }

        /**
         * Whether traces are stored (default true); false keeps only each trace's length and CRC32, which is all the
         * final PUT's check needs, and records trace PATCHes without their bodies, so a benchmark forwarding hundreds
         * of MB does not measure this GitLab's memory.
         */
        public Builder keepTraces(boolean value) {
            this.keepTraces = value;
            return this;
        }

        public Builder faults(FaultPlan value) {
            this.faults = value;
            return this;
        }

        public TestGitLab start() {
            try {
                return new TestGitLab(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test GitLab", e);
            }
        }
    }
}
