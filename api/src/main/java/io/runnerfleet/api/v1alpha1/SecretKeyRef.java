package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the fleet's namespace. */
public record SecretKeyRef(
        @Required
        @Pattern(Patterns.DNS1123_SUBDOMAIN)
        @Size(max = 253)
        @JsonPropertyDescription("Name of the Secret, in the fleet's namespace.")
        String name,

        @Default("token")
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Key inside the Secret whose value is used. Defaults to `token`.")
        String key) {

    public SecretKeyRef {
        key = key == null ? "token" : key;
    }
}
