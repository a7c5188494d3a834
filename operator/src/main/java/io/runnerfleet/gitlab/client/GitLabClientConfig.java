package io.runnerfleet.gitlab.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GitLabClient} talks to GitLab. Build with {@link #builder(String)}; every setting has a default that
 * matches gitlab-runner.
 */
public final class GitLabClientConfig {
    /** GitLab holds {@code jobs/request} up to about 50 s (Workhorse long polling); our timeout must outlast that. */
    public static final Duration DEFAULT_REQUEST_JOB_TIMEOUT = Duration.ofSeconds(70);

    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** gitlab-runner's retry requester: 5 attempts in all, back-off from 100 ms doubling up to 60 s, with jitter. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);

    private final URI apiBase;
    private final RunnerInfo runnerInfo;
    private final String systemId;
    private final Duration callTimeout;
    private final Duration requestJobTimeout;
    private final Duration connectTimeout;
    private final int maxAttempts;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final ApiCallListener listener;
    private final Sleeper sleeper;
    private final javax.net.ssl.SSLContext sslContext;

    private GitLabClientConfig(Builder b) {
        this.apiBase = apiBase(b.url);
        this.runnerInfo = Objects.requireNonNull(b.runnerInfo, "runnerInfo");
        this.systemId = b.systemId;
        this.callTimeout = positive(b.callTimeout, "callTimeout");
        this.requestJobTimeout = positive(b.requestJobTimeout, "requestJobTimeout");
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        if (b.maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = b.maxAttempts;
        this.backoffMin = positive(b.backoffMin, "backoffMin");
        this.backoffMax = positive(b.backoffMax, "backoffMax");
        this.listener = Objects.requireNonNull(b.listener, "listener");
        this.sleeper = Objects.requireNonNull(b.sleeper, "sleeper");
        this.sslContext = b.sslContext;
    }

    public static Builder builder(String gitlabUrl) {
        return new Builder(gitlabUrl);
    }

    /**
     * {@code <url>/api/v4/}, after dropping trailing slashes and a trailing {@code /ci} as gitlab-runner does
     * ({@code fixCIURL}).
     */
    static URI apiBase(String url) {
        Objects.requireNonNull(url, "url");
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.endsWith("/ci")) {
            trimmed = trimmed.substring(0, trimmed.length() - 3);
        }
        URI base = URI.create(trimmed + "/api/v4/");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("GitLab URL must be http or https: " + JobTokenRedaction.cleanUrl(url));
        }
        return base;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    public URI apiBase() {
        return apiBase;
    }

    public RunnerInfo runnerInfo() {
        return runnerInfo;
    }

    /** The manager's system id ({@code s_...} or {@code r_...}), sent as {@code system_id}; may be null. */
    public String systemId() {
        return systemId;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public Duration requestJobTimeout() {
        return requestJobTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration backoffMin() {
        return backoffMin;
    }

    public Duration backoffMax() {
        return backoffMax;
    }

    public ApiCallListener listener() {
        return listener;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    /** TLS towards GitLab; null for the JVM's default. */
    public javax.net.ssl.SSLContext sslContext() {
        return sslContext;
    }

    public static final class Builder {
        private final String url;
        private RunnerInfo runnerInfo = RunnerInfo.kubernetes();
        private String systemId;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration requestJobTimeout = DEFAULT_REQUEST_JOB_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration backoffMin = DEFAULT_BACKOFF_MIN;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private ApiCallListener listener = ApiCallListener.NONE;
        private Sleeper sleeper = Sleeper.REAL;
        private javax.net.ssl.SSLContext sslContext;

        private Builder(String url) {
            this.url = url;
        }

        public Builder runnerInfo(RunnerInfo value) {
            this.runnerInfo = value;
            return this;
        }

        public Builder systemId(String value) {
            this.systemId = value;
            return this;
        }

        /** Timeout of every call except {@code jobs/request} (until the response headers arrive). */
        public Builder callTimeout(Duration value) {
            this.callTimeout = value;
            return this;
        }

        /** Timeout of {@code jobs/request}; keep it above GitLab's long-polling duration (about 50 s). */
        public Builder requestJobTimeout(Duration value) {
            this.requestJobTimeout = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** Attempts per call, the first included, for retryable statuses and connection errors. */
        public Builder maxAttempts(int value) {
            this.maxAttempts = value;
            return this;
        }

        public Builder backoff(Duration min, Duration max) {
            this.backoffMin = min;
            this.backoffMax = max;
            return this;
        }

        public Builder listener(ApiCallListener value) {
            this.listener = value;
            return this;
        }

        /** What waits between retries; tests pass one that does not really sleep. */
        public Builder sleeper(Sleeper value) {
            this.sleeper = value;
            return this;
        }

        /** TLS towards GitLab ({@link GitLabTls}); null for the JVM's default trust. */
        public Builder sslContext(javax.net.ssl.SSLContext value) {
            this.sslContext = value;
            return this;
        }

        public GitLabClientConfig build() {
            return new GitLabClientConfig(this);
        }
    }
}
