package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.DnsPolicy;
import io.runnerfleet.api.v1alpha1.DnsSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.gitlab.job.JobImage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spec.executor.dind.inherit}: dockerd in a Docker-in-Docker service gets the Job Pod's MTU and, with
 * {@code dnsPolicy: None}, its resolver, so the containers dockerd starts ({@code RUN} steps, {@code docker run})
 * resolve names and size packets as the pod does. Without it they get Docker's defaults: MTU 1500 whatever the pod's
 * network carries, and a filtered copy of the pod's {@code /etc/resolv.conf}.
 *
 * <p>This is ours: gitlab-runner starts a service with its entrypoint as the container's command and its command as
 * the arguments, and adds nothing ({@code executors/kubernetes/kubernetes.go}, {@code getCommandAndArgs}).
 *
 * <p>The DNS flags are known when the pod is built and go into the arguments. The MTU is only known inside the pod,
 * so the service's command becomes a fixed shell script that reads {@code /sys/class/net/eth0/mtu} and execs the
 * service's own entrypoint (docker:dind's {@code dockerd-entrypoint.sh} when it names none) with {@code --mtu}
 * appended. The service's entrypoint and command reach that script as positional parameters, never as code. The
 * service's own flags win: one that passes {@code --mtu} gets no {@code --mtu}, one that passes any {@code --dns*}
 * flag gets no DNS flags. A service that does not start dockerd with options (say {@code sh -c ...} or
 * {@code docker info}) is left as it is, since the flags would not reach dockerd.
 */
public final class DockerdInheritance {
    /**
     * The entrypoint of docker:dind ({@code ENTRYPOINT ["dockerd-entrypoint.sh"]}, docker-library/docker), which a
     * service naming no entrypoint runs. It passes arguments starting with {@code -} to dockerd.
     */
    static final String DIND_ENTRYPOINT = "dockerd-entrypoint.sh";

    static final String DOCKERD = "dockerd";

    /** {@code $0} of the wrapper: the name {@code ps} and the shell's messages show. */
    static final String WRAPPER_NAME = "runner-fleet-dind";

    /** Reads the pod interface's MTU at start, appends it as {@code --mtu}, execs the service's own command. */
    static final String MTU_SCRIPT = """
            # runner-fleet (spec.executor.dind.inherit): dockerd gets the MTU of the pod's interface.
            mtu=
            [ -r /sys/class/net/eth0/mtu ] && read -r mtu < /sys/class/net/eth0/mtu
            case "$mtu" in
              '' | *[!0-9]*) echo "runner-fleet: no MTU in /sys/class/net/eth0/mtu; dockerd keeps its default" >&2 ;;
              *) echo "runner-fleet: dockerd gets --mtu=$mtu, the MTU of the pod's eth0" >&2
                 set -- "$@" "--mtu=$mtu" ;;
            esac
            exec "$@"
            """;

    private DockerdInheritance() {}

    /** The service container's {@code command} and {@code args}; empty lists leave the image's own. */
    record Start(List<String> command, List<String> args) {}

    /** How the service starts: as it says, or, for dockerd with inherit on, with the pod's MTU and DNS added. */
    static Start start(JobImage service, ExecutorSpec executor) {
        Start asGiven = new Start(service.entrypoint(), service.command());
        if (!executor.dind().inherit()
                || !ImageReference.isDind(service.name())
                || !startsDockerdWithOptions(service.entrypoint(), service.command())) {
            return asGiven;
        }
        List<String> given = new ArrayList<>(service.entrypoint());
        given.addAll(service.command());
        List<String> args = new ArrayList<>(service.command());
        if (given.stream().noneMatch(DockerdInheritance::isDnsFlag)) {
            args.addAll(dnsFlags(executor.dns()));
        }
        if (given.stream().anyMatch(DockerdInheritance::isMtuFlag)) {
            return new Start(service.entrypoint(), args);
        }
        List<String> command = new ArrayList<>(ShellCommand.of(MTU_SCRIPT));
        command.add(WRAPPER_NAME);
        command.addAll(service.entrypoint().isEmpty() ? List.of(DIND_ENTRYPOINT) : service.entrypoint());
        return new Start(command, args);
    }

    /**
     * dockerd's {@code --dns}, {@code --dns-search} and {@code --dns-opt} for the pod's DNS: with policy None the pod
     * resolves through exactly these; with any other policy through the cluster's or node's resolver, which dockerd
     * already copies into its containers' resolv.conf, so nothing is added. Escaped for the kubelet's {@code $(VAR)}
     * expansion ({@link ShellCommand}), as they are the fleet's values, not the job's.
     */
    static List<String> dnsFlags(DnsSpec dns) {
        return unescapedDnsFlags(dns).stream().map(f -> f.replace("$", "$$")).toList();
    }

    private static List<String> unescapedDnsFlags(DnsSpec dns) {
        List<String> flags = new ArrayList<>();
        if (dns.policy() != DnsPolicy.None) {
            return flags;
        }
        dns.nameservers().forEach(server -> flags.add("--dns=" + server));
        dns.searches().forEach(domain -> flags.add("--dns-search=" + domain));
        dns.options()
                .forEach(option ->
                        flags.add("--dns-opt=" + option.name() + (option.value() == null ? "" : ":" + option.value())));
        return flags;
    }

    /** True when a service container's command is the wrapper that reads the pod's MTU at start. */
    public static boolean readsPodMtu(List<String> command) {
        return command != null
                && command.size() > 3
                && command.get(0).equals("sh")
                && command.get(1).equals("-c")
                && command.get(2).equals(ShellCommand.of(MTU_SCRIPT).get(2));
    }

    /**
     * True when the entrypoint and command start dockerd with options: dockerd itself, or docker:dind's entrypoint
     * with nothing, options ({@code -...}) or {@code dockerd ...}, which it hands to dockerd.
     */
    static boolean startsDockerdWithOptions(List<String> entrypoint, List<String> command) {
        List<String> argv = new ArrayList<>(entrypoint.isEmpty() ? List.of(DIND_ENTRYPOINT) : entrypoint);
        argv.addAll(command);
        String program = baseName(argv.get(0));
        if (program.equals(DOCKERD)) {
            return true;
        }
        if (!program.equals(DIND_ENTRYPOINT)) {
            return false;
        }
        return argv.size() == 1
                || argv.get(1).startsWith("-")
                || baseName(argv.get(1)).equals(DOCKERD);
    }

    private static boolean isDnsFlag(String arg) {
        return arg.equals("--dns")
                || arg.startsWith("--dns=")
                || arg.startsWith("--dns-search")
                || arg.startsWith("--dns-opt");
    }

    private static boolean isMtuFlag(String arg) {
        return arg.equals("--mtu") || arg.startsWith("--mtu=");
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
