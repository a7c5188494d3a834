package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One CI/CD variable. {@code public: false} (internal ones such as {@code CI_REPOSITORY_URL}), {@code masked} and
 * {@code file} variables are secrets; {@code raw} means "do not expand {@code $NAME} references in the value".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobVariable(
        @JsonProperty(value = "key", required = true) String key,
        @JsonProperty("value") String value,
        @JsonProperty("public") boolean isPublic,
        @JsonProperty("masked") boolean masked,
        @JsonProperty("file") boolean file,
        @JsonProperty("raw") boolean raw) {

    public JobVariable {
        value = value == null ? "" : value;
    }

    public static JobVariable publicVariable(String key, String value) {
        return new JobVariable(key, value, true, false, false, false);
    }

    /** True when the value must not appear in a Pod spec, a log line or an error message. */
    public boolean isSecret() {
        return !isPublic || masked || file;
    }

    @Override
    public String toString() {
        return "JobVariable[key=" + key + (isSecret() ? ", value=<secret>" : ", value=" + value) + "]";
    }
}
