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
        CaBundleRef tlsCa,

        // Unset stays unset (not a CRD default), so `import` and `render` print only what a user wrote; the
        // operator applies the default (FleetStatusAggregator.DEFAULT_TOKEN_EXPIRY_WARNING).
        @Pattern(Patterns.DURATION)
        @JsonPropertyDescription("How long before the runner token expires the fleet's `TokenExpiring` condition "
                + "turns True (with the date) and the Event `TokenExpiring` is sent, as a duration such as `336h`. "
                + "The expiry is what GitLab answers to `POST /runners/verify` (`token_expires_at`). Unset: `168h` "
                + "(7 days).")
        String tokenExpiryWarning,

        @JsonPropertyDescription("Rotate the runner token before it expires and write the new one into the token "
                + "Secret (the managers then may `get` and `update` that one Secret). Unset: no rotation, as "
                + "gitlab-runner with `FF_DISABLE_AUTOMATIC_TOKEN_ROTATION`; `TokenExpiring` still warns.")
        TokenRotationSpec tokenRotation) {

    public GitLabSpec(String url, SecretKeyRef tokenSecretRef) {
        this(url, tokenSecretRef, null, null, null);
    }

    public GitLabSpec(String url, SecretKeyRef tokenSecretRef, CaBundleRef tlsCa) {
        this(url, tokenSecretRef, tlsCa, null, null);
    }

    public GitLabSpec(String url, SecretKeyRef tokenSecretRef, CaBundleRef tlsCa, String tokenExpiryWarning) {
        this(url, tokenSecretRef, tlsCa, tokenExpiryWarning, null);
    }
}
