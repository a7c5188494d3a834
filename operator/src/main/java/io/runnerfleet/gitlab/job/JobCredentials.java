package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of the job's {@code credentials} (gitlab-runner's {@code common/network.go} {@code Credentials}): for
 * {@code type: registry}, a registry the job may pull from, usually GitLab's own with the job token.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobCredentials(
        @JsonProperty("type") String type,
        @JsonProperty("url") String url,
        @JsonProperty("username") String username,
        @JsonProperty("password") String password) {

    public static final String REGISTRY = "registry";

    public JobCredentials {
        type = type == null ? "" : type;
        url = url == null ? "" : url;
        username = username == null ? "" : username;
        password = password == null ? "" : password;
    }

    public boolean isRegistry() {
        return REGISTRY.equals(type);
    }

    @Override
    public String toString() {
        return "JobCredentials[type=" + type + ", url=" + url + ", username=" + username + ", password=<secret>]";
    }
}
