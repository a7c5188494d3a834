package io.runnerfleet.faults;

/**
 * Which API server the soak's managers talk to ({@code faults/run soak --soak-api=real|mock}).
 *
 * <ul>
 *   <li>{@link #REAL}: the real kube-apiserver + etcd ({@code testing/RealApiServer}), the Job Pods bound to the
 *       kubelet stand-in's node ({@code testing/kubelet/KubeletStandIn}), so the managers' log streams and build log
 *       file reads go through the API server's proxy to a node, as on a cluster; requests counted from its audit log.
 *   <li>{@link #MOCK}: fabric8's mock API server, which serves the simulated kubelet's logs itself and answers no
 *       {@code pods/exec} (an adopting manager then follows the log stream alone).
 * </ul>
 */
enum SoakApi {
    REAL,
    MOCK;

    /** The value of {@code --soak-api=}, or an error naming the option and its values. */
    static SoakApi parse(String value) {
        return switch (value) {
            case "real" -> REAL;
            case "mock" -> MOCK;
            default ->
                throw new IllegalArgumentException(
                        "--soak-api=" + value + " is not an API server the soak knows; use --soak-api=real (the real "
                                + "kube-apiserver with the kubelet stand-in, the default) or --soak-api=mock (fabric8's mock)");
        };
    }
}
