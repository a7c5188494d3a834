package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.JobPodBuilderTest.container;
import static io.runnerfleet.jobpod.TestJobs.build;
import static io.runnerfleet.jobpod.TestJobs.executor;
import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.testing.KubeletExpansion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spec.executor.dind.inherit}: dockerd in a DinD service gets the pod's MTU and, with policy None, its DNS. */
class DockerdInheritanceTest {
    /** The seed's DNS: policy None, three nameservers, three searches, ndots:2. */
    private static final ExecutorSpec SEED_DNS = executor("""
            image: a
            privileged: true
            dns:
              policy: None
              nameservers: [10.0.0.2, 10.1.0.251]
              searches: [gitlab.svc.cluster.local, cluster.local]
              options: [{name: ndots, value: "2"}, {name: edns0}]
            """);

    private static final List<String> SEED_DNS_FLAGS = List.of(
            "--dns=10.0.0.2",
            "--dns=10.1.0.251",
            "--dns-search=gitlab.svc.cluster.local",
            "--dns-search=cluster.local",
            "--dns-opt=ndots:2",
            "--dns-opt=edns0");

    private static Container docker(ExecutorSpec executor, List<String> entrypoint, List<String> command) {
        return docker(executor, "registry.example.com/docker:27-dind", entrypoint, command);
    }

    private static Container docker(
            ExecutorSpec executor, String image, List<String> entrypoint, List<String> command) {
        ObjectNode job = minimal();
        ObjectNode s = service(job, image, "docker");
        if (!entrypoint.isEmpty()) {
            ArrayNode array = s.putArray("entrypoint");
            entrypoint.forEach(array::add);
        }
        if (!command.isEmpty()) {
            ArrayNode array = s.putArray("command");
            command.forEach(array::add);
        }
        return container(build(job, executor).pod(), "docker");
    }

    /** The wrapper's command: the fixed script, its $0, then what it execs. */
    private static List<String> wrapped(String... exec) {
        List<String> command = new ArrayList<>(ShellCommand.of(DockerdInheritance.MTU_SCRIPT));
        command.add(DockerdInheritance.WRAPPER_NAME);
        command.addAll(List.of(exec));
        return command;
    }

    @Test
    void withoutAnEntrypointTheWrapperExecsDindsOwnEntrypointWithTheServicesArgsThenTheFleetsDns() {
        Container docker = docker(SEED_DNS, List.of(), List.of("--tls=false"));

        assertThat(docker.getCommand()).isEqualTo(wrapped("dockerd-entrypoint.sh"));
        assertThat(DockerdInheritance.readsPodMtu(docker.getCommand())).isTrue();
        List<String> args = new ArrayList<>(List.of("--tls=false"));
        args.addAll(SEED_DNS_FLAGS);
        assertThat(docker.getArgs()).isEqualTo(args);
    }

    @Test
    void theServicesOwnEntrypointIsKept() {
        Container docker = docker(SEED_DNS, List.of("/usr/local/bin/dockerd"), List.of("--debug"));

        assertThat(docker.getCommand()).isEqualTo(wrapped("/usr/local/bin/dockerd"));
        assertThat(docker.getArgs()).startsWith("--debug").containsAll(SEED_DNS_FLAGS);
    }

    @Test
    void theServicesOwnMtuWinsAndNeedsNoWrapper() {
        Container docker = docker(SEED_DNS, List.of(), List.of("--mtu=1450"));

        assertThat(docker.getCommand()).isNull();
        assertThat(docker.getArgs()).startsWith("--mtu=1450").containsAll(SEED_DNS_FLAGS);
        assertThat(docker(SEED_DNS, List.of(), List.of("--mtu", "1450")).getCommand())
                .isNull();
    }

    @Test
    void anyDnsFlagOfTheServiceMeansNoneOfTheFleetsAreAdded() {
        for (String own : List.of("--dns=8.8.8.8", "--dns-search=example.com", "--dns-opt=ndots:1")) {
            Container docker = docker(SEED_DNS, List.of(), List.of(own));
            assertThat(docker.getArgs()).as(own).containsExactly(own);
            assertThat(DockerdInheritance.readsPodMtu(docker.getCommand())).isTrue();
        }
        assertThat(docker(SEED_DNS, List.of(), List.of("--dns", "8.8.8.8")).getArgs())
                .containsExactly("--dns", "8.8.8.8");
    }

    @Test
    void inheritOffStartsTheServiceExactlyAsItSays() {
        ExecutorSpec off = SEED_DNS.toBuilder()
                .dind(new io.runnerfleet.api.v1alpha1.DindSpec(false))
                .build();
        Container docker = docker(off, List.of(), List.of("--tls=false"));

        assertThat(docker.getCommand()).isNull();
        assertThat(docker.getArgs()).containsExactly("--tls=false");
        assertThat(executor("image: a\ndind: {inherit: false}").dind().inherit())
                .isFalse();
        assertThat(executor("image: a").dind().inherit()).isTrue();
    }

    @Test
    void withClusterDnsOnlyTheMtuIsInherited() {
        // dockerd copies a ClusterFirst pod's resolv.conf into its containers already; --dns would only repeat it.
        Container docker = docker(executor("image: a\nprivileged: true"), List.of(), List.of());

        assertThat(docker.getCommand()).isEqualTo(wrapped("dockerd-entrypoint.sh"));
        assertThat(docker.getArgs()).isNull();
    }

    @Test
    void aServiceThatDoesNotStartDockerdWithOptionsIsLeftAlone() {
        Container shell = docker(SEED_DNS, List.of("sh", "-c"), List.of("dockerd --debug & sleep 1000"));
        assertThat(shell.getCommand()).containsExactly("sh", "-c");
        assertThat(shell.getArgs()).containsExactly("dockerd --debug & sleep 1000");

        Container info = docker(SEED_DNS, List.of(), List.of("docker", "info"));
        assertThat(info.getCommand()).isNull();
        assertThat(info.getArgs()).containsExactly("docker", "info");

        Container dockerdCommand = docker(SEED_DNS, List.of(), List.of("dockerd", "--debug"));
        assertThat(dockerdCommand.getCommand()).isEqualTo(wrapped("dockerd-entrypoint.sh"));
    }

    @Test
    void anImageThatIsNotDindIsLeftAlone() {
        Container docker = docker(SEED_DNS, "registry.example.com/docker:27", List.of(), List.of("--tls=false"));

        assertThat(docker.getCommand()).isNull();
        assertThat(docker.getArgs()).containsExactly("--tls=false");
    }

    @Test
    void theFleetsValuesAreEscapedForTheKubeletsExpansion() {
        ExecutorSpec odd = executor("""
                image: a
                dns: {policy: None, nameservers: [10.0.0.2], searches: [a.example], options: [{name: "$(HOME)x"}]}
                """);
        Container docker = docker(odd, List.of(), List.of());

        assertThat(docker.getArgs()).contains("--dns-opt=$$(HOME)x");
        assertThat(KubeletExpansion.expand("--dns-opt=$$(HOME)x", Map.of("HOME", "/root")))
                .isEqualTo("--dns-opt=$(HOME)x");
    }

    /**
     * The wrapper run by a real {@code sh}, as the kubelet hands it over: the service's entrypoint and arguments
     * arrive unchanged (never evaluated), followed by {@code --mtu} with this machine's eth0 MTU when it has one.
     */
    @Test
    void theWrapperExecsTheServicesCommandWithTheMtuOfEth0(@TempDir Path dir) throws Exception {
        // A stand-in dockerd that prints its arguments, one per line.
        Path dockerd = dir.resolve("dockerd");
        Files.writeString(dockerd, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        assertThat(dockerd.toFile().setExecutable(true)).isTrue();
        Container docker =
                docker(SEED_DNS, List.of(dockerd.toString()), List.of("a b", "$(touch injected)", "'", "--debug"));
        List<String> argv = new ArrayList<>();
        docker.getCommand().forEach(c -> argv.add(KubeletExpansion.expand(c, Map.of())));
        docker.getArgs().forEach(a -> argv.add(KubeletExpansion.expand(a, Map.of())));

        Process process = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        List<String> expected = new ArrayList<>(List.of("a b", "$(touch injected)", "'", "--debug"));
        expected.addAll(SEED_DNS_FLAGS);
        Optional<String> mtu = eth0Mtu();
        mtu.ifPresent(m -> expected.add("--mtu=" + m));
        assertThat(out.lines().toList()).isEqualTo(expected);
        assertThat(dir.resolve("injected")).doesNotExist();
        assertThat(Files.readString(dir.resolve("stderr")))
                .contains(mtu.map(m -> "dockerd gets --mtu=" + m).orElse("no MTU in /sys/class/net/eth0/mtu"));
    }

    private static Optional<String> eth0Mtu() throws IOException {
        Path file = Path.of("/sys/class/net/eth0/mtu");
        return Files.isReadable(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
    }
}
