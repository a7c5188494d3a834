package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A PEM bundle of CA certificates in a Secret or a ConfigMap of the fleet's namespace. */
@ValidationRule(
        value = "has(self.secretName) != has(self.configMapName)",
        message = "name either secretName or configMapName, not both")
public record CaBundleRef(
        @Pattern(Patterns.DNS1123_SUBDOMAIN) @Size(max = 253) @JsonPropertyDescription("Secret holding the bundle.")
        String secretName,

        @Pattern(Patterns.DNS1123_SUBDOMAIN) @Size(max = 253) @JsonPropertyDescription("ConfigMap holding the bundle.")
        String configMapName,

        @Default("ca.crt")
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Key of the bundle in the Secret or ConfigMap. Defaults to `ca.crt`.")
        String key) {

    public CaBundleRef {
        key = key == null ? "ca.crt" : key;
    }
}
