package io.runnerfleet.gitlab.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.gitlab.job.ReceivedJob;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitLab runner API as gitlab-runner speaks it (docs/gitlab-protocol.md): {@code runners/verify},
 * {@code runners/reset_authentication_token}, {@code jobs/request} with long polling, {@code PUT jobs/:id}, and {@code PATCH jobs/:id/trace}.
 *
 * <p>The endpoints, as gitlab-runner's {@code network/gitlab.go}: JSON bodies carrying {@code info} and the token,
 * the token also in a header ({@code RUNNER-TOKEN}/{@code JOB-TOKEN}), and what each answer means. The HTTP side is
 * {@link GitLabTransport}; every call goes through {@link RetryRequester}, which retries connection errors and
 * timeouts too, except on {@code jobs/request} where they make the poll unhealthy (the poller tries again on its
 * next tick).
 *
 * <p>Thread-safe. Never logs a token or a request/response body.
 */
public final class GitLabClient {
    /** gitlab-runner's {@code DefaultTracePatchLimit}: at most 1 MiB of trace per PATCH. */
    public static final int MAX_TRACE_PATCH_BYTES = 1024 * 1024;

    public static final String LAST_UPDATE_HEADER = "X-GitLab-Last-Update";

    private static final Logger LOG = LoggerFactory.getLogger(GitLabClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitLabClientConfig config;
    private final GitLabTransport transport;
    private final RetryRequester requester;

    public GitLabClient(GitLabClientConfig config) {
        this.config = config;
        this.transport = new GitLabTransport(config);
        this.requester = new RetryRequester(transport, config);
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
        HttpRequest request = transport
                .jsonRequest("runners/verify", "POST", body, config.callTimeout(), true)
                .header("RUNNER-TOKEN", runnerToken)
                .build();
        Exchange ex = requester.send(ApiEndpoint.VERIFY_RUNNER, request, true);
        switch (ex.status) {
            case 200:
                LOG.info("gitlab runner verified endpoint=verify_runner status=200");
                if (ex.isJson()) {
                    try {
                        JsonNode node = JSON.readTree(ex.body);
                        Long id = node.hasNonNull("id") ? node.get("id").asLong() : null;
                        String expires = node.hasNonNull("token_expires_at")
                                ? node.get("token_expires_at").asText()
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
                LOG.warn(
                        "gitlab runner verify failed endpoint=verify_runner status={} error=\"{}\"",
                        ex.status,
                        ex.message(runnerToken));
                return new VerifyResult.Failed(ex.status, ex.message(runnerToken));
        }
    }

    // ---------------------------------------------------------------------------------- reset_authentication_token

    /**
     * {@code POST /api/v4/runners/reset_authentication_token} with {@code {"token": runnerToken}}, as gitlab-runner's
     * {@code network/gitlab.go} ({@code ResetToken}): 201 {@code {id, token, token_expires_at}} is the new token, 403
     * means GitLab refused the token used. Unlike the other calls, a request without an answer (timeout, reset
     * connection) is not retried: GitLab may have rotated already, and a retry with the old token would only be
     * refused; the caller keeps the old token and tries again later, as after any failure.
     */
    public ResetTokenResult resetToken(String runnerToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", runnerToken);
        HttpRequest request = transport
                .jsonRequest("runners/reset_authentication_token", "POST", body, config.callTimeout(), true)
                .header("RUNNER-TOKEN", runnerToken)
                .build();
        Exchange ex = requester.send(ApiEndpoint.RESET_TOKEN, request, false);
        switch (ex.status) {
            case 201:
                return resetAnswer(ex);
            case 403:
                LOG.error("gitlab token reset refused endpoint=reset_token status=403");
                return new ResetTokenResult.Rejected("GitLab at " + config.apiBase()
                        + " refused to reset the runner authentication token (403 Forbidden on POST"
                        + " runners/reset_authentication_token): the token in use is no longer valid (rotated,"
                        + " revoked or expired). Put a valid glrt- token into the fleet's token Secret.");
            default:
                String message = ex.message(runnerToken);
                LOG.warn("gitlab token reset failed endpoint=reset_token status={} error=\"{}\"", ex.status, message);
                return new ResetTokenResult.Failed(ex.status, message);
        }
    }

    private static ResetTokenResult resetAnswer(Exchange ex) {
        try {
            JsonNode node = ex.isJson() ? JSON.readTree(ex.body) : null;
            String token = node == null ? null : node.path("token").asText(null);
            if (token == null || token.isBlank()) {
                LOG.error("gitlab token reset bad response endpoint=reset_token status=201 error=\"no token\"");
                return new ResetTokenResult.Failed(201, "GitLab answered 201 to the token reset without a token");
            }
            String expires = node.hasNonNull("token_expires_at")
                    ? node.get("token_expires_at").asText()
                    : null;
            LOG.info("gitlab token reset endpoint=reset_token status=201 token_expires_at={}", expires);
            return new ResetTokenResult.Reset(token, expires);
        } catch (IOException e) {
            // The parser's message may quote the body, which holds the new token: say only what went wrong.
            return new ResetTokenResult.Failed(201, "GitLab's answer to the token reset is not valid JSON");
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
        HttpRequest request = transport
                .jsonRequest("jobs/request", "POST", body, config.requestJobTimeout(), true)
                .header("RUNNER-TOKEN", runnerToken)
                .build();
        Exchange ex = requester.send(ApiEndpoint.REQUEST_JOB, request, false);
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
                LOG.warn(
                        "gitlab job request failed endpoint=request_job status={} error=\"{}\"",
                        ex.status,
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
        ReceivedJob received = JobPayloadReader.readReceived(new String(ex.body, StandardCharsets.UTF_8));
        if (received instanceof ReceivedJob.Readable readable) {
            JobPayload job = readable.job();
            LOG.info(
                    "gitlab job received endpoint=request_job status=201 job={} repo_url={}",
                    job.id(),
                    JobTokenRedaction.redact(
                            JobTokenRedaction.cleanUrl(job.gitInfo().repoUrl()), job.token(), runnerToken));
            return new JobRequestResult.JobReceived(job, readable.json(), lastUpdate);
        }
        ReceivedJob.Unreadable unreadable = (ReceivedJob.Unreadable) received;
        if (unreadable.id() == null || unreadable.token() == null) {
            // Without an id and a token the job cannot even be reported as failed.
            LOG.error("gitlab job request bad response endpoint=request_job status=201 error=\"invalid job JSON\"");
            return new JobRequestResult.Failed(
                    ex.status, "Error decoding json payload: invalid job JSON", false, lastUpdate);
        }
        LOG.info("gitlab job received endpoint=request_job status=201 job={} payload=unreadable", unreadable.id());
        return new JobRequestResult.UnreadableJob(
                unreadable.id(), unreadable.token(), unreadable.problem(), lastUpdate);
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
        HttpRequest request = transport
                .jsonRequest("jobs/" + jobId, "PUT", body, config.callTimeout(), false)
                .header("JOB-TOKEN", jobToken)
                .build();
        Exchange ex = requester.send(ApiEndpoint.UPDATE_JOB, request, true);
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
            LOG.warn(
                    "gitlab job update endpoint=update_job job={} state={} status={} outcome={} job_status={}"
                            + " error=\"{}\"",
                    jobId,
                    update.state().wire(),
                    ex.status,
                    outcome,
                    jobStatus,
                    message);
        } else {
            LOG.info(
                    "gitlab job update endpoint=update_job job={} state={} status={} outcome={} job_status={}"
                            + " checksum={} bytesize={}",
                    jobId,
                    update.state().wire(),
                    ex.status,
                    outcome,
                    jobStatus,
                    update.checksum(),
                    update.bytesize());
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
    public PatchTraceResult patchTrace(
            long jobId, String jobToken, byte[] content, int from, int length, long offset, boolean debugTrace) {
        if (from < 0 || length < 0 || from + length > content.length || offset < 0) {
            throw new IllegalArgumentException(
                    "bad trace slice from=" + from + " length=" + length + " offset=" + offset);
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

    private PatchTraceResult patchOnce(
            long jobId, String jobToken, byte[] content, int from, int length, long offset, boolean debugTrace) {
        long endInclusive = offset + length - 1;
        String contentRange = offset + "-" + endInclusive;
        HttpRequest request = transport
                .request("jobs/" + jobId + "/trace?debug_trace=" + debugTrace, config.callTimeout())
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content, from, length))
                .header("Content-Type", "text/plain")
                .header("Content-Range", contentRange)
                .header("JOB-TOKEN", jobToken)
                .build();
        Exchange ex = requester.send(ApiEndpoint.PATCH_TRACE, request, true);
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
            LOG.debug(
                    "gitlab trace patch endpoint=patch_trace job={} sent_log={} job_log={} status={} job_status={}",
                    jobId,
                    contentRange,
                    range,
                    ex.status,
                    jobStatus);
        } else {
            LOG.warn(
                    "gitlab trace patch endpoint=patch_trace job={} sent_log={} job_log={} status={} outcome={}"
                            + " job_status={} error=\"{}\"",
                    jobId,
                    contentRange,
                    range,
                    ex.status,
                    outcome,
                    jobStatus,
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

    private Optional<Duration> updateInterval(Exchange ex) {
        String raw = ex.header(RemoteJobStatus.UPDATE_INTERVAL_HEADER);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(raw.strip());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            LOG.warn(
                    "gitlab unparsable header header={} value=\"{}\"",
                    RemoteJobStatus.UPDATE_INTERVAL_HEADER,
                    JobTokenRedaction.redact(raw));
            return Optional.empty();
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}
