package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One service of the job, as the pod will run it.
 *
 * @param containerName its first alias that is a DNS-1123 label not taken yet, else {@code svc-<n>} (gitlab-runner
 *                      17.9+)
 * @param hostnames     the names {@code /etc/hosts} maps to 127.0.0.1 for it
 * @param startupPort   the TCP port its startup probe waits on, if any
 */
public record ServicePlan(JobImage image, String containerName, List<String> hostnames, OptionalInt startupPort) {
    static final int DIND_PORT = 2375;
    static final int DIND_TLS_PORT = 2376;
    static final String HEALTHCHECK_VARIABLE = "HEALTHCHECK_TCP_PORT";

    /** Reserved for the pod's own containers. */
    static final Set<String> RESERVED_NAMES = Set.of(JobPodBuilder.BUILD, JobPodBuilder.HELPER, JobPodBuilder.PREPARE);

    /**
     * @param services     the runner's services first, then the job's, as gitlab-runner orders them
     * @param jobVariables the job's variables, for {@code DOCKER_TLS_CERTDIR}
     */
    public static List<ServicePlan> plan(List<JobImage> services, Map<String, String> jobVariables) {
        List<ServicePlan> plans = new ArrayList<>();
        Set<String> taken = new HashSet<>(RESERVED_NAMES);
        List<String> aliasNames = new ArrayList<>();
        services.forEach(s -> aliasNames.addAll(s.aliases()));
        int fallback = 0;
        for (JobImage service : services) {
            List<String> hostnames = ServiceHostnames.of(service.name(), service.aliases());
            String name = service.aliases().stream()
                    .filter(ServiceHostnames::isLabel)
                    .filter(a -> !taken.contains(a))
                    .findFirst()
                    .orElse(null);
            if (name == null) {
                do {
                    name = "svc-" + fallback++;
                } while (taken.contains(name) || aliasNames.contains(name));
            }
            taken.add(name);
            plans.add(new ServicePlan(service, name, hostnames, startupPort(service, jobVariables)));
        }
        return plans;
    }

    /**
     * {@code HEALTHCHECK_TCP_PORT} when the service sets it; else for a Docker-in-Docker image the port dockerd
     * listens on (2375 without TLS, 2376 with); else none.
     */
    static OptionalInt startupPort(JobImage service, Map<String, String> jobVariables) {
        String declared = service.variables().stream()
                .filter(v -> v.key().equals(HEALTHCHECK_VARIABLE))
                .reduce((a, b) -> b)
                .map(v -> v.value().trim())
                .orElse("");
        if (!declared.isEmpty()) {
            if (!declared.matches("^[0-9]{1,5}$")
                    || Integer.parseInt(declared) < 1
                    || Integer.parseInt(declared) > 65535) {
                throw new JobPodException("service " + ServiceHostnames.printable(service.name()) + ": variable "
                        + HEALTHCHECK_VARIABLE + " = \"" + ServiceHostnames.printable(declared)
                        + "\" is not a TCP port (1-65535)");
            }
            return OptionalInt.of(Integer.parseInt(declared));
        }
        if (!ImageReference.isDind(service.name())) {
            return OptionalInt.empty();
        }
        return tlsDisabled(service, jobVariables) ? OptionalInt.of(DIND_PORT) : OptionalInt.of(DIND_TLS_PORT);
    }

    /** dockerd skips TLS with {@code --tls=false}, or when the dind entrypoint gets an empty DOCKER_TLS_CERTDIR. */
    static boolean tlsDisabled(JobImage service, Map<String, String> jobVariables) {
        List<String> args = new ArrayList<>(service.entrypoint());
        args.addAll(service.command());
        if (args.contains("--tls=false")) {
            return true;
        }
        String certDir = service.variables().stream()
                .filter(v -> v.key().equals("DOCKER_TLS_CERTDIR"))
                .reduce((a, b) -> b)
                .map(v -> v.value())
                .orElse(jobVariables.get("DOCKER_TLS_CERTDIR"));
        return certDir != null && certDir.isEmpty();
    }
}
