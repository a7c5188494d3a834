package io.runnerfleet.gitlab.client;

/**
 * Told about every API call the client makes, so that a metrics registry can count
 * {@code gitlab_runner_api_request_statuses_total{endpoint,status,method}}. Called on the calling thread; must be
 * quick and must not throw (exceptions are logged and ignored).
 */
@FunctionalInterface
public interface ApiCallListener {
    ApiCallListener NONE = call -> {};

    void onApiCall(ApiCall call);
}
