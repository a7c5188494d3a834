package io.runnerfleet.gitlab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitLab runner API as gitlab-runner speaks it (docs/gitlab-protocol.md): {@code runners/verify},
 * {@code jobs/request} with long polling, {@code PUT jobs/:id}, {@code PATCH jobs/:id/trace}, and the artifacts
 * endpoints.
 *
 * <p>Transport, as gitlab-runner: JSON bodies carrying {@code info} and the token, the token also in a header
 * ({@code RUNNER-TOKEN}/{@code JOB-TOKEN}), {@code User-Agent: gitlab-runner <ver> (...)}, an {@code X-Request-Id}
 * per call. Statuses 408, 429, 500, 502, 503, 504 and ≥ 512 are retried transparently up to
 * {@link GitLabClientConfig#maxAttempts()} attempts, waiting {@code RateLimit-ResetTime}, {@code Retry-After} or an
 * exponential back-off with jitter; other 4xx never are. Connection errors and timeouts are retried the same way,
 * except on {@code jobs/request} where they make the poll unhealthy (the poller tries again on its next tick).
 *
 * <p>Thread-safe. Never logs a token or a request/response body.
 */
public final class GitLabClient {
    /** gitlab-runner's {@code DefaultTracePatchLimit}: at most 1 MiB of trace per PATCH. */
    public static final int MAX_TRACE_PATCH_BYTES = 1024 * 1024;
    public static final String LAST_UPDATE_HEADER = "X-GitLab-Last-Update";

    private static final Logger LOG = LoggerFactory.getLogger(GitLabClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLICATION_JSON = "application/json";

    private final GitLabClientConfig config;
    private final HttpClient http;

    public GitLabClient(GitLabClientConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // Go's client speaks HTTP/1.1 on plain http and negotiates h2 over TLS; so do we.
                .version("https".equals(config.apiBase().getScheme()) ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public GitLabClientConfig config() {
        return config;
    }

    // ---------------------------------------------------------------------------------------------- runners/verify

    /** {@code POST /api/v4/runners/verify}. A 403 is {@link VerifyResult.InvalidToken}: exit, do not retry. */
    public VerifyResult verify(String runnerToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", runnerToken);
        putIfPresent(body, "system_id", config.systemId());
        body.put("info", config.runnerInfo().toJson());
        HttpRequest request = jsonRequest("runners/verify", "POST", body, config.callTimeout(), true)
                .header("RUNNER-TOKEN", runnerToken)
                .build();
        Exchange ex = send(ApiEndpoint.VERIFY_RUNNER, request, true);
        switch (ex.status) {
            case 200:
                LOG.info("gitlab runner verified endpoint=verify_runner status=200");
                if (ex.isJson()) {
                    try {
                        JsonNode node = JSON.readTree(ex.body);
                        Long id = node.hasNonNull("id") ? node.get("id").asLong() : null;
                        String expires = node.hasNonNull("token_expires_at") ? node.get("token_expires_at").asText()
                                : null;
                        return new VerifyResult.Verified(id, expires);
                    } catch (IOException e) {
                        return new VerifyResult.Verified(null, null);
                    }
                }
                return new VerifyResult.Verified(null, null);
            case 403:
                LOG.error("gitlab runner token rejected endpoint=verify_runner status=403");
                return new VerifyResult.InvalidToken("GitLab at " + config.apiBase()
                        + " rejected the runner authentication token (403 Forbidden on POST runners/verify):"
                        + " the token is wrong or revoked, or its runner was deleted. Create a runner in GitLab and"
                        + " put its glrt- token into the fleet's token Secret.");
            default:
                LOG.warn("gitlab runner verify failed endpoint=verify_runner status={} error=\"{}\"", ex.status,
                        ex.message(runnerToken));
                return new VerifyResult.Failed(ex.status, ex.message(runnerToken));
        }
    }

    // ---------------------------------------------------------------------------------------------- jobs/request

    /**
     * {@code POST /api/v4/jobs/request}. GitLab may hold the call up to about 50 s when {@code lastUpdate} is the
     * queue version it last reported; the call's timeout is {@link GitLabClientConfig#requestJobTimeout()}.
     *
     * @param lastUpdate the {@code X-GitLab-Last-Update} of the previous answer, or null on the first poll
     */
    public JobRequestResult requestJob(String runnerToken, String lastUpdate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("info", config.runnerInfo().toJson());
        body.put("token", runnerToken);
        putIfPresent(body, "system_id", config.systemId());
        putIfPresent(body, "last_update", lastUpdate);
        HttpRequest request = jsonRequest("jobs/request", "POST", body, config.requestJobTimeout(), true)
                .header("RUNNER-TOKEN", runnerToken)
                .build();
        Exchange ex = send(ApiEndpoint.REQUEST_JOB, request, false);
        String newLastUpdate = ex.header(LAST_UPDATE_HEADER);
        switch (ex.status) {
            case 201:
                return jobReceived(ex, newLastUpdate, runnerToken);
            case 204:
                LOG.debug("gitlab no job endpoint=request_job status=204");
                return new JobRequestResult.NoJob(newLastUpdate);
            case 409:
                LOG.debug("gitlab job request conflict endpoint=request_job status=409");
                return new JobRequestResult.Conflict(newLastUpdate);
            case 403:
                LOG.error("gitlab job request forbidden endpoint=request_job status=403");
                return new JobRequestResult.Forbidden(ex.message(runnerToken), newLastUpdate);
            case ApiCall.NO_RESPONSE:
                LOG.warn("gitlab job request error endpoint=request_job error=\"{}\"", ex.message(runnerToken));
                return new JobRequestResult.Failed(ex.status, ex.message(runnerToken), false, newLastUpdate);
            default:
                LOG.warn("gitlab job request failed endpoint=request_job status={} error=\"{}\"", ex.status,
                        ex.message(runnerToken));
                return new JobRequestResult.Failed(ex.status, ex.message(runnerToken), true, newLastUpdate);
        }
    }

    private JobRequestResult jobReceived(Exchange ex, String lastUpdate, String runnerToken) {
        if (!ex.isJson()) {
            String message = "server should return application/json. Got: " + ex.header("Content-Type");
            LOG.error("gitlab job request bad response endpoint=request_job status=201 error=\"{}\"", message);
            return new JobRequestResult.Failed(ex.status, message, false, lastUpdate);
        }
        String json = new String(ex.body, StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.path("id").canConvertToLong() || !node.path("token").isTextual()) {
                throw new IOException("job JSON lacks id or token");
            }
            long id = node.get("id").asLong();
            String jobToken = node.get("token").asText();
            LOG.info("gitlab job received endpoint=request_job status=201 job={} repo_url={}", id,
                    JobTokenRedaction.redact(JobTokenRedaction.cleanUrl(node.path("git_info").path("repo_url")
                            .asText("")), jobToken, runnerToken));
            return new JobRequestResult.JobReceived(id, jobToken, json, lastUpdate);
        } catch (IOException e) {
            LOG.error("gitlab job request bad response endpoint=request_job status=201 error=\"invalid job JSON\"");
            return new JobRequestResult.Failed(ex.status, "Error decoding json payload: invalid job JSON", false,
                    lastUpdate);
        }
    }

    // ---------------------------------------------------------------------------------------------- PUT jobs/:id

    /** {@code PUT /api/v4/jobs/:id}: a state update (running keep-alive, or final). */
    public UpdateJobResult updateJob(long jobId, String jobToken, JobUpdate update) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("info", config.runnerInfo().toJson());
        body.put("token", jobToken);
        body.put("state", update.state().wire());
        putIfPresent(body, "failure_reason", update.failureReason());
        putIfPresent(body, "checksum", update.checksum());
        Map<String, Object> output = new LinkedHashMap<>();
        putIfPresent(output, "checksum", update.checksum());
        if (update.bytesize() != 0) {
            output.put("bytesize", update.bytesize());
        }
        body.put("output", output);
        if (update.exitCode() != 0) {
            body.put("exit_code", update.exitCode());
        }
        HttpRequest request = jsonRequest("jobs/" + jobId, "PUT", body, config.callTimeout(), false)
                .header("JOB-TOKEN", jobToken)
                .build();
        Exchange ex = send(ApiEndpoint.UPDATE_JOB, request, true);
        String jobStatus = ex.header(RemoteJobStatus.HEADER);
        Optional<Duration> interval = updateInterval(ex);
        UpdateJobResult.Outcome outcome;
        switch (ex.status) {
            case 200:
                outcome = UpdateJobResult.Outcome.ACCEPTED;
                break;
            case 202:
                outcome = UpdateJobResult.Outcome.ACCEPTED_NOT_COMPLETED;
                break;
            case 412:
                outcome = UpdateJobResult.Outcome.TRACE_VALIDATION_FAILED;
                break;
            case 403:
            case 404:
                outcome = UpdateJobResult.Outcome.JOB_GONE;
                break;
            default:
                outcome = UpdateJobResult.Outcome.FAILED;
        }
        String message = ex.message(jobToken);
        if (outcome == UpdateJobResult.Outcome.FAILED || outcome == UpdateJobResult.Outcome.JOB_GONE) {
            LOG.warn("gitlab job update endpoint=update_job job={} state={} status={} outcome={} job_status={}"
                    + " error=\"{}\"", jobId, update.state().wire(), ex.status, outcome, jobStatus, message);
        } else {
            LOG.info("gitlab job update endpoint=update_job job={} state={} status={} outcome={} job_status={}"
                    + " checksum={} bytesize={}", jobId, update.state().wire(), ex.status, outcome, jobStatus,
                    update.checksum(), update.bytesize());
        }
        return new UpdateJobResult(outcome, ex.status, jobStatus, interval, message);
    }

    // ---------------------------------------------------------------------------------------------- PATCH trace

    /**
     * {@code PATCH /api/v4/jobs/:id/trace} with {@code content} placed at {@code offset}, split into requests of at
     * most {@link #MAX_TRACE_PATCH_BYTES}. Stops at the first request GitLab does not accept and returns its result;
     * otherwise returns the last one, whose {@link PatchTraceResult#offset()} is {@code offset + content.length}.
     * An empty {@code content} sends nothing and returns ACCEPTED with status 0.
     */
    public PatchTraceResult patchTrace(long jobId, String jobToken, byte[] content, long offset) {
        return patchTrace(jobId, jobToken, content, 0, content.length, offset, false);
    }

    /** As {@link #patchTrace(long, String, byte[], long)} for {@code content[from, from+length)}. */
    public PatchTraceResult patchTrace(long jobId, String jobToken, byte[] content, int from, int length, long offset,
                                       boolean debugTrace) {
        if (from < 0 || length < 0 || from + length > content.length || offset < 0) {
            throw new IllegalArgumentException("bad trace slice from=" + from + " length=" + length
                    + " offset=" + offset);
        }
        if (length == 0) {
            return new PatchTraceResult(PatchTraceResult.Outcome.ACCEPTED, offset, -1, 0, null, Optional.empty());
        }
        PatchTraceResult last = null;
        int pos = from;
        long at = offset;
        int end = from + length;
        while (pos < end) {
            int n = Math.min(MAX_TRACE_PATCH_BYTES, end - pos);
            last = patchOnce(jobId, jobToken, content, pos, n, at, debugTrace);
            if (last.outcome() != PatchTraceResult.Outcome.ACCEPTED) {
                return last;
            }
            pos += n;
            at += n;
        }
        return last;
    }

    private PatchTraceResult patchOnce(long jobId, String jobToken, byte[] content, int from, int length, long offset,
                                       boolean debugTrace) {
        long endInclusive = offset + length - 1;
        String contentRange = offset + "-" + endInclusive;
        HttpRequest request = baseRequest("jobs/" + jobId + "/trace?debug_trace=" + debugTrace, config.callTimeout())
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content, from, length))
                .header("Content-Type", "text/plain")
                .header("Content-Range", contentRange)
                .header("JOB-TOKEN", jobToken)
                .build();
        Exchange ex = send(ApiEndpoint.PATCH_TRACE, request, true);
        String jobStatus = ex.header(RemoteJobStatus.HEADER);
        String range = ex.header("Range");
        long remoteLength = parseRangeEnd(range);
        Optional<Duration> interval = updateInterval(ex);
        PatchTraceResult.Outcome outcome;
        long next = offset;
        if (ex.status == 403 || RemoteJobStatus.isFinishedRemotely(jobStatus)) {
            outcome = PatchTraceResult.Outcome.JOB_GONE;
        } else if (ex.status == 202) {
            outcome = PatchTraceResult.Outcome.ACCEPTED;
            next = offset + length;
        } else if (ex.status == 404) {
            outcome = PatchTraceResult.Outcome.JOB_GONE;
        } else if (ex.status == 416 && remoteLength >= 0) {
            outcome = PatchTraceResult.Outcome.RANGE_MISMATCH;
            next = remoteLength;
        } else {
            outcome = PatchTraceResult.Outcome.FAILED;
        }
        if (outcome == PatchTraceResult.Outcome.ACCEPTED) {
            LOG.debug("gitlab trace patch endpoint=patch_trace job={} sent_log={} job_log={} status={} job_status={}",
                    jobId, contentRange, range, ex.status, jobStatus);
        } else {
            LOG.warn("gitlab trace patch endpoint=patch_trace job={} sent_log={} job_log={} status={} outcome={}"
                    + " job_status={} error=\"{}\"", jobId, contentRange, range, ex.status, outcome, jobStatus,
                    ex.message(jobToken));
        }
        return new PatchTraceResult(outcome, next, remoteLength, ex.status, jobStatus, interval);
    }

    /** The {@code n} of a {@code Range: 0-<n>} header (GitLab puts the trace length there), or -1. */
    static long parseRangeEnd(String range) {
        if (range == null) {
            return -1;
        }
        String value = range.strip();
        if (value.startsWith("bytes")) {
            value = value.substring(5).strip();
            if (value.startsWith("=")) {
                value = value.substring(1).strip();
            }
        }
        int dash = value.indexOf('-');
        if (dash < 0) {
            return -1;
        }
        try {
            long n = Long.parseLong(value.substring(dash + 1).strip());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------------- artifacts

    /**
     * {@code POST /api/v4/jobs/:id/artifacts?artifact_format=&artifact_type=&expire_in=} with the archive as the
     * multipart field {@code file}. Null options are left out of the query.
     */
    public ArtifactsResult uploadArtifacts(long jobId, String jobToken, String fileName, byte[] archive,
                                           String artifactFormat, String artifactType, String expireIn) {
        StringBuilder query = new StringBuilder();
        appendQuery(query, "artifact_format", artifactFormat);
        appendQuery(query, "artifact_type", artifactType);
        appendQuery(query, "expire_in", expireIn);
        String boundary = UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream(archive.length + 256);
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName.replace("\"", "%22")
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(archive);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String path = "jobs/" + jobId + "/artifacts" + (query.length() > 0 ? "?" + query : "");
        HttpRequest request = baseRequest(path, config.callTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("JOB-TOKEN", jobToken)
                .build();
        Exchange ex = send(ApiEndpoint.UPLOAD_ARTIFACTS, request, true);
        ArtifactsResult.Outcome outcome;
        switch (ex.status) {
            case 201:
                outcome = ArtifactsResult.Outcome.OK;
                break;
            case 307:
                outcome = ex.header("Location") == null ? ArtifactsResult.Outcome.FAILED
                        : ArtifactsResult.Outcome.REDIRECTED;
                break;
            case 403:
                outcome = ArtifactsResult.Outcome.FORBIDDEN;
                break;
            case 413:
                outcome = ArtifactsResult.Outcome.TOO_LARGE;
                break;
            case 503:
                outcome = ArtifactsResult.Outcome.SERVICE_UNAVAILABLE;
                break;
            default:
                outcome = ArtifactsResult.Outcome.FAILED;
        }
        LOG.info("gitlab artifacts upload endpoint=upload_artifacts job={} status={} outcome={} bytes={}", jobId,
                ex.status, outcome, archive.length);
        return new ArtifactsResult(outcome, ex.status, new byte[0],
                outcome == ArtifactsResult.Outcome.REDIRECTED ? ex.header("Location") : null, ex.message(jobToken));
    }

    /** {@code GET /api/v4/jobs/:id/artifacts} with the (dependent) job's token. */
    public ArtifactsResult downloadArtifacts(long jobId, String jobToken) {
        HttpRequest request = baseRequest("jobs/" + jobId + "/artifacts", config.callTimeout())
                .GET()
                .header("JOB-TOKEN", jobToken)
                .build();
        Exchange ex = send(ApiEndpoint.DOWNLOAD_ARTIFACTS, request, true);
        ArtifactsResult.Outcome outcome;
        switch (ex.status) {
            case 200:
                outcome = ArtifactsResult.Outcome.OK;
                break;
            case 302:
            case 307:
                outcome = ArtifactsResult.Outcome.REDIRECTED;
                break;
            case 401:
                outcome = ArtifactsResult.Outcome.UNAUTHORIZED;
                break;
            case 403:
                outcome = ArtifactsResult.Outcome.FORBIDDEN;
                break;
            case 404:
                outcome = ArtifactsResult.Outcome.NOT_FOUND;
                break;
            default:
                outcome = ArtifactsResult.Outcome.FAILED;
        }
        LOG.info("gitlab artifacts download endpoint=download_artifacts job={} status={} outcome={} bytes={}", jobId,
                ex.status, outcome, outcome == ArtifactsResult.Outcome.OK ? ex.body.length : 0);
        return new ArtifactsResult(outcome, ex.status, outcome == ArtifactsResult.Outcome.OK ? ex.body : new byte[0],
                outcome == ArtifactsResult.Outcome.REDIRECTED ? ex.header("Location") : null, ex.message(jobToken));
    }

    // ---------------------------------------------------------------------------------------------- transport

    private HttpRequest.Builder baseRequest(String path, Duration timeout) {
        URI uri = config.apiBase().resolve(path);
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("User-Agent", config.runnerInfo().userAgent())
                .header("X-Request-Id", UUID.randomUUID().toString().replace("-", ""));
    }

    private HttpRequest.Builder jsonRequest(String path, String method, Object body, Duration timeout,
                                            boolean expectJson) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize request body", e);
        }
        HttpRequest.Builder builder = baseRequest(path, timeout)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", APPLICATION_JSON);
        if (expectJson) {
            builder.header("Accept", APPLICATION_JSON);
        }
        return builder;
    }

    /** Sends with gitlab-runner's transparent retries, then tells the listener about the call. */
    private Exchange send(ApiEndpoint endpoint, HttpRequest request, boolean retryConnectionErrors) {
        long started = System.nanoTime();
        int attempt = 0;
        Exchange ex;
        while (true) {
            attempt++;
            Duration wait;
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                ex = new Exchange(response.statusCode(), response.headers(), response.body(), null, attempt);
                if (!retryableStatus(ex.status) || attempt >= config.maxAttempts()) {
                    break;
                }
                Optional<Duration> server = serverWait(ex);
                wait = server.isPresent() ? server.get() : backoff(attempt);
            } catch (IOException e) {
                ex = new Exchange(ApiCall.NO_RESPONSE, null, new byte[0], describe(e), attempt);
                if (!retryConnectionErrors || attempt >= config.maxAttempts()) {
                    break;
                }
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex = new Exchange(ApiCall.NO_RESPONSE, null, new byte[0], "interrupted", attempt);
                break;
            }
            LOG.info("gitlab request retry endpoint={} method={} path={} status={} attempt={} wait_ms={}",
                    endpoint.label(), request.method(), request.uri().getPath(), ex.status, attempt,
                    wait.toMillis());
            try {
                config.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ApiCall call = new ApiCall(endpoint, request.method(), ex.status, ex.attempts,
                Duration.ofNanos(System.nanoTime() - started));
        try {
            config.listener().onApiCall(call);
        } catch (RuntimeException e) {
            LOG.warn("gitlab api listener failed endpoint={} error=\"{}\"", endpoint.label(), e.toString());
        }
        return ex;
    }

    /** gitlab-runner's retry statuses: 408, 429, 500, 502, 503, 504 and anything ≥ 512. */
    static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504
                || status >= 512;
    }

    /** {@code RateLimit-ResetTime} (RFC 1123), else {@code Retry-After} (seconds), capped at the back-off maximum. */
    private Optional<Duration> serverWait(Exchange ex) {
        String reset = ex.header("RateLimit-ResetTime");
        if (reset != null) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(reset.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                if (!until.isNegative() && !until.isZero()) {
                    return Optional.of(cap(until));
                }
            } catch (DateTimeParseException e) {
                LOG.warn("gitlab unparsable header header=RateLimit-ResetTime");
            }
        }
        String retryAfter = ex.header("Retry-After");
        if (retryAfter != null) {
            try {
                long seconds = Long.parseLong(retryAfter.strip());
                if (seconds > 0) {
                    return Optional.of(cap(Duration.ofSeconds(seconds)));
                }
            } catch (NumberFormatException e) {
                LOG.warn("gitlab unparsable header header=Retry-After");
            }
        }
        return Optional.empty();
    }

    private Duration cap(Duration d) {
        return d.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : d;
    }

    /** Exponential back-off with jitter: a random wait in [min, min·2^(attempt-1)], capped at max. */
    private Duration backoff(int attempt) {
        long min = config.backoffMin().toNanos();
        long max = config.backoffMax().toNanos();
        double ceiling = Math.min((double) max, min * Math.pow(2, attempt - 1));
        long jittered = (long) (min + ThreadLocalRandom.current().nextDouble() * Math.max(0, ceiling - min));
        return Duration.ofNanos(Math.min(max, jittered));
    }

    private Optional<Duration> updateInterval(Exchange ex) {
        String raw = ex.header(RemoteJobStatus.UPDATE_INTERVAL_HEADER);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(raw.strip());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            LOG.warn("gitlab unparsable header header={} value=\"{}\"", RemoteJobStatus.UPDATE_INTERVAL_HEADER,
                    JobTokenRedaction.redact(raw));
            return Optional.empty();
        }
    }

    private static String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timeout: " + e.getMessage();
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }

    private static void appendQuery(StringBuilder query, String key, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** One HTTP outcome: a response, or no response ({@code status} = {@link ApiCall#NO_RESPONSE}). */
    private static final class Exchange {
        final int status;
        final HttpHeaders headers;
        final byte[] body;
        final String error;
        final int attempts;

        Exchange(int status, HttpHeaders headers, byte[] body, String error, int attempts) {
            this.status = status;
            this.headers = headers;
            this.body = body == null ? new byte[0] : body;
            this.error = error;
            this.attempts = attempts;
        }

        String header(String name) {
            return headers == null ? null : headers.firstValue(name).orElse(null);
        }

        boolean isJson() {
            String type = header("Content-Type");
            if (type == null) {
                return false;
            }
            int semi = type.indexOf(';');
            return (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(Locale.ROOT)
                    .equals(APPLICATION_JSON);
        }

        /** What went wrong, tokens redacted: the transport error, GitLab's JSON {@code message}, or the status. */
        String message(String... tokens) {
            if (error != null) {
                return JobTokenRedaction.redact(error, tokens);
            }
            if (status >= 200 && status < 300) {
                return Integer.toString(status);
            }
            if (isJson() && body.length > 0) {
                try {
                    JsonNode node = JSON.readTree(body);
                    JsonNode message = node.get("message");
                    if (message != null) {
                        String text = message.isTextual() ? message.asText() : message.toString();
                        return JobTokenRedaction.redact(status + " " + text, tokens);
                    }
                } catch (IOException e) {
                    // fall through to the bare status
                }
            }
            return Integer.toString(status);
        }
    }
}
