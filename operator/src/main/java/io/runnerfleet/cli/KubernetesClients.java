package io.runnerfleet.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Locale;

/** The one place the operator and the manager build their Kubernetes client. */
final class KubernetesClients {
    private KubernetesClients() {}

    /** A client for the cluster found as kubectl finds it: in-cluster service account, then kubeconfig. */
    static KubernetesClient connect() {
        return connect(adjust(Config.autoConfigure(null)));
    }

    static KubernetesClient connect(Config config) {
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Plain-http endpoints ({@code kubectl proxy}, a local API server without TLS) are spoken to in HTTP/1.1: the JDK
     * client's cleartext HTTP/2 upgrade is not understood by every such endpoint, and a misread upgrade fails on the
     * first large response. Over TLS, HTTP/2 is negotiated by ALPN and kept.
     */
    static Config adjust(Config config) {
        String master = config.getMasterUrl();
        if (master != null && master.toLowerCase(Locale.ROOT).startsWith("http://")) {
            config.setHttp2Disable(true);
        }
        return config;
    }
}
