package io.runnerfleet.gitlab.client;

import java.net.http.HttpRequest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request with gitlab-runner's transparent retries (its {@code retry_requester.go}): statuses 408, 429,
 * 500, 502, 503, 504 and ≥ 512 are retried up to {@link GitLabClientConfig#maxAttempts()} attempts, waiting as
 * {@link Backoff} says; other statuses never are. Connection errors and timeouts are retried the same way when the
 * caller asks for it. Each logical call, retries included, is told to the {@link ApiCallListener} once.
 */
final class RetryRequester {
    private static final Logger LOG = LoggerFactory.getLogger(RetryRequester.class);

    private final GitLabTransport transport;
    private final GitLabClientConfig config;
    private final Backoff backoff;

    RetryRequester(GitLabTransport transport, GitLabClientConfig config) {
        this.transport = transport;
        this.config = config;
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
    }

    Exchange send(ApiEndpoint endpoint, HttpRequest request, boolean retryConnectionErrors) {
        long started = System.nanoTime();
        Exchange answer = sendWithRetries(endpoint, request, retryConnectionErrors);
        ApiCall call = new ApiCall(
                endpoint,
                request.method(),
                answer.status,
                answer.attempts,
                Duration.ofNanos(System.nanoTime() - started));
        try {
            config.listener().onApiCall(call);
        } catch (RuntimeException e) {
            LOG.warn("gitlab api listener failed endpoint={} error=\"{}\"", endpoint.label(), e.toString());
        }
        return answer;
    }

    private Exchange sendWithRetries(ApiEndpoint endpoint, HttpRequest request, boolean retryConnectionErrors) {
        int attempt = 0;
        while (true) {
            attempt++;
            Exchange answer;
            try {
                answer = transport.send(request, attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Exchange.noResponse("interrupted", attempt);
            }
            boolean retryable =
                    answer.status == ApiCall.NO_RESPONSE ? retryConnectionErrors : retryableStatus(answer.status);
            if (!retryable || attempt >= config.maxAttempts()) {
                return answer;
            }
            Duration wait =
                    answer.status == ApiCall.NO_RESPONSE ? backoff.after(attempt) : backoff.after(answer, attempt);
            LOG.info(
                    "gitlab request retry endpoint={} method={} path={} status={} attempt={} wait_ms={}",
                    endpoint.label(),
                    request.method(),
                    request.uri().getPath(),
                    answer.status,
                    attempt,
                    wait.toMillis());
            try {
                config.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
        }
    }

    /** gitlab-runner's retry statuses: 408, 429, 500, 502, 503, 504 and anything ≥ 512. */
    static boolean retryableStatus(int status) {
        return status == 408
                || status == 429
                || status == 500
                || status == 502
                || status == 503
                || status == 504
                || status >= 512;
    }
}
