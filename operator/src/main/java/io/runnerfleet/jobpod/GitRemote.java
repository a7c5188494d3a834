package io.runnerfleet.jobpod;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where {@code prepare} fetches from, and the {@code url.<with token>.insteadOf <without>} rewrites that give git the
 * job token, as gitlab-runner's {@code helpers/url/gitauth.go} ({@code GetRemoteURL}, {@code GetInsteadOfs}) with
 * {@code FF_GIT_URLS_WITHOUT_TOKENS} off.
 *
 * <p>The remote is the repository URL without credentials (or {@code clone_url} + the project path + {@code .git});
 * the token reaches git only through the rewrites, which {@link PrepareScript} hands to git in the environment
 * ({@code GIT_CONFIG_COUNT}), so submodules on the same server get it too and no token is ever written under
 * {@code /builds}. gitlab-runner writes the rewrites to a config file next to the build directory and includes it
 * from the submodules' configs; we deliberately do not, since every container of the Job Pod shares that volume.
 *
 * @param remote     the URL {@code origin} points at: safe to print, it has no credentials
 * @param insteadOfs the rewrites, most specific first
 */
record GitRemote(String remote, List<InsteadOf> insteadOfs) {

    /** The user gitlab-runner authenticates as; the password is the job token. */
    static final String TOKEN_USER = "gitlab-ci-token";

    /**
     * {@code url.<scheme>gitlab-ci-token:<token>@<rest>.insteadOf <original>}: the token itself is filled in by the
     * script from {@code CI_JOB_TOKEN}.
     *
     * @param scheme   {@code https://} or {@code http://}
     * @param rest     what follows the credentials: host, port, path
     * @param original the URL prefix git rewrites
     */
    record InsteadOf(String scheme, String rest, String original) {}

    /**
     * @param repoUrl     {@code git_info.repo_url} (with the token as GitLab sends it)
     * @param cloneUrl    the runner's {@code clone_url}, or null
     * @param runnerUrl   the runner's {@code url} (gitlab-runner's {@code CredentialsURL}), or null
     * @param projectPath {@code CI_PROJECT_PATH}, for {@code clone_url}
     * @param forceHttps  {@code GIT_SUBMODULE_FORCE_HTTPS}
     * @param sshHost     {@code CI_SERVER_SHELL_SSH_HOST}, else {@code CI_SERVER_HOST}
     * @param sshPort     {@code CI_SERVER_SHELL_SSH_PORT}, or empty
     */
    static GitRemote of(
            String repoUrl,
            String cloneUrl,
            String runnerUrl,
            String projectPath,
            boolean forceHttps,
            String sshHost,
            String sshPort) {
        // common/build.go GetRemoteURL: any clone_url with a scheme; only http(s) ones get the token.
        Optional<String> clone =
                Optional.ofNullable(cloneUrl).map(String::trim).filter(c -> c.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*"));
        String remote = clone.map(c -> trimmed(RepositoryUrls.withoutCredentials(c)) + "/" + projectPath + ".git")
                .orElse(RepositoryUrls.withoutCredentials(repoUrl));
        Set<InsteadOf> rewrites = new LinkedHashSet<>();
        http(remote).ifPresent(r -> rewrites.add(authed(r.toString())));
        Optional<URI> base = clone.isPresent() ? clone.flatMap(GitRemote::http) : http(runnerUrl);
        base.ifPresent(b -> {
            InsteadOf authedBase = authed(trimmed(b.toString()));
            rewrites.add(authedBase);
            if (forceHttps && sshHost != null && !sshHost.isBlank()) {
                rewrites.addAll(sshInsteadOfs(authedBase, sshHost, sshPort));
            }
            http(RepositoryUrls.withoutCredentials(repoUrl))
                    .map(GitRemote::schemeAndHost)
                    .ifPresent(repoBase -> rewrites.add(authed(repoBase)));
        });
        return new GitRemote(remote, List.copyOf(rewrites));
    }

    /** {@code git@host:group/p.git} and {@code ssh://git@host/group/p.git} fetched over HTTPS with the token. */
    private static List<InsteadOf> sshInsteadOfs(InsteadOf authedBase, String host, String port) {
        List<InsteadOf> list = new ArrayList<>();
        if (port == null || port.isBlank() || port.equals("22")) {
            list.add(new InsteadOf(authedBase.scheme(), authedBase.rest() + "/", "git@" + host + ":"));
            list.add(new InsteadOf(authedBase.scheme(), authedBase.rest(), "ssh://git@" + host));
        } else {
            list.add(new InsteadOf(authedBase.scheme(), authedBase.rest(), "ssh://git@" + host + ":" + port));
        }
        return list;
    }

    private static InsteadOf authed(String url) {
        int scheme = url.indexOf("://") + 3;
        return new InsteadOf(url.substring(0, scheme), url.substring(scheme), url);
    }

    /** {@code scheme://host[:port]} of an http(s) URL, without credentials; null for anything else. */
    static String schemeAndHost(String url) {
        return http(url).map(GitRemote::schemeAndHost).orElse(null);
    }

    private static String schemeAndHost(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst("^.*@", "");
    }

    private static String trimmed(String url) {
        return url.replaceFirst("/+$", "");
    }

    /** An http(s) URL without credentials, or empty for anything else (file://, ssh, blank). */
    private static Optional<URI> http(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(RepositoryUrls.withoutCredentials(url.trim()));
            String scheme = uri.getScheme();
            boolean http = scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
            return http && uri.getRawAuthority() != null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
