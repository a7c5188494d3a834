package io.runnerfleet.diagnostics;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The DNS facts of a Job Pod that both the diagnostics and {@code explain}'s description of resolvers need. */
public final class JobPodDns {
    private JobPodDns() {}

    /** The {@code --dns} servers given to dockerd, if any. */
    public static List<String> dockerdDns(Container service) {
        return dockerdFlag(service, "--dns");
    }

    /**
     * The values of one dockerd flag in a service's command and args, {@code --flag=value} or {@code --flag value},
     * in order (the kubelet's {@code $$} undone).
     */
    public static List<String> dockerdFlag(Container service, String flag) {
        List<String> args = new ArrayList<>();
        if (service.getCommand() != null) {
            args.addAll(service.getCommand());
        }
        if (service.getArgs() != null) {
            args.addAll(service.getArgs());
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith(flag + "=")) {
                values.add(arg.substring(flag.length() + 1).replace("$$", "$"));
            } else if (arg.equals(flag) && i + 1 < args.size()) {
                values.add(args.get(i + 1).replace("$$", "$"));
            }
        }
        return values;
    }

    /** The pod's own name servers, comma-separated, when its {@code dnsConfig} lists any. */
    public static Optional<String> nameservers(Pod pod) {
        List<String> servers = configList(pod, PodDNSConfig::getNameservers);
        return servers.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", servers));
    }

    /**
     * One list of the pod's {@code dnsConfig}, empty when the pod has none or leaves it out: the Job Pod builder
     * writes an unset list as null ({@code jobpod.PodDns}), as the API server returns it.
     */
    public static <T> List<T> configList(Pod pod, Function<PodDNSConfig, List<T>> list) {
        PodDNSConfig config = pod.getSpec().getDnsConfig();
        List<T> values = config == null ? null : list.apply(config);
        return values == null ? List.of() : values;
    }
}
