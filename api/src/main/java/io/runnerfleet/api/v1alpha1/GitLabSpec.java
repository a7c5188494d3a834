package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where the fleet's managers find GitLab and how they authenticate. */
public record GitLabSpec(
        @Required
        @Pattern(Patterns.HTTP_URL)
        @JsonPropertyDescription("GitLab instance URL, e.g. `https://gitlab.example.com/`. Becomes `url` of the "
                + "`[[runners]]` entry; the job API is under `<url>/api/v4/`.")
        String url,

        @Required
        @JsonPropertyDescription("Secret key that holds the runner authentication token (`glrt-...`). The token is "
                + "never written into the fleet or into `config.toml`; managers read it from this Secret.")
        SecretKeyRef tokenSecretRef,

        @JsonPropertyDescription("CA certificates (PEM) that GitLab's TLS certificate is checked against, for a "
                + "GitLab with a private CA. Becomes `tls-ca-file` of the `[[runners]]` entry: the managers' GitLab "
                + "client trusts it, `git` in the Job Pods uses it, and jobs get it as `CI_SERVER_TLS_CA_FILE`.")
        CaBundleRef tlsCa) {

    public GitLabSpec(String url, SecretKeyRef tokenSecretRef) {
        this(url, tokenSecretRef, null);
    }
}
