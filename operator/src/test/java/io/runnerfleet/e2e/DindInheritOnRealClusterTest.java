package io.runnerfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealClusterFleet;
import io.runnerfleet.testing.gitlab.TestGitLab.JobView;
import io.runnerfleet.testing.gitlab.TestGitLab.State;
import io.runnerfleet.testing.gitlab.TestJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.executor.dind.inherit} (on by default) on the real cluster: the seed-shaped fleet of
 * {@link RealClusterFleet} ({@code dnsPolicy: None} on the bridge's dnsmasq), whose Job Pods' interface has MTU
 * 1400. The test cluster's bridge has 1500 and is shared by every test, so the fleet's {@code podSpec} patch puts a
 * privileged init container first that sets the pod's own eth0 to 1400 (as a network with a smaller MTU would give
 * it), and shares the pod's process namespace so the job can show dockerd's command line.
 *
 * <p>There is no registry access from inside dockerd here, so the job makes its base image itself: the build image's
 * static busybox, {@code docker import}ed.
 */
@External.RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DindInheritOnRealClusterTest {
    private static final int MTU = 1400;
    /** A name only the fleet's nameserver (the bridge's dnsmasq) knows, and an address nothing else gives out. */
    private static final String NAME = "dind-run.e2e.runner-fleet.test";

    private static final String ADDRESS = "10.244.0.253";
    private static final String DOCKERFILE = """
            FROM rf-busybox:1
            RUN nslookup -type=a %s > /tmp/answer 2>&1; cat /tmp/answer; grep -q '%s' /tmp/answer \\
                && echo "run-step-mtu $(cat /sys/class/net/eth0/mtu)"
            """.formatted(NAME, ADDRESS);

    @TempDir
    static Path work;

    private RealClusterFleet fleet;

    @BeforeAll
    void startFleet() throws Exception {
        String image = io.runnerfleet.testing.RealNodeCluster.shared().buildImage();
        String patch = "[{\"op\": \"add\", \"path\": \"/initContainers/0\", \"value\": {\"name\": \"mtu-" + MTU
                + "\", \"image\": \"" + image + "\", \"imagePullPolicy\": \"IfNotPresent\", "
                + "\"command\": [\"ip\", \"link\", \"set\", \"dev\", \"eth0\", \"mtu\", \"" + MTU + "\"], "
                + "\"securityContext\": {\"privileged\": true}}}, "
                + "{\"op\": \"add\", \"path\": \"/shareProcessNamespace\", \"value\": true}]";
        fleet = RealClusterFleet.start(
                work,
                Map.of("Dockerfile", DOCKERFILE),
                null,
                "    podSpec:\n      - name: pod-mtu-" + MTU + "\n        patchType: json\n        patch: '" + patch
                        + "'\n");
        fleet.cluster().addDnsName(NAME, ADDRESS);
    }

    @AfterEach
    void keepManagerLogs(TestInfo test) {
        if (fleet != null) {
            fleet.keepManagerLogs(test.getTestMethod().map(m -> m.getName()).orElse("scenario"));
        }
    }

    @AfterAll
    void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /**
     * dockerd started with the pod's MTU and the fleet's DNS: its bridge network, the container of a {@code RUN} step
     * and one of {@code docker run} all get 1400, and the {@code RUN} step resolves a name only the fleet's
     * nameserver knows.
     */
    @Test
    void dockerdsContainersGetThePodsMtuAndResolveThroughTheFleetsNameserver() {
        TestJob job = fleet.job()
                .name("dind-inherit")
                .service(fleet.cluster().dindImage(), "docker", "--tls=false")
                .variable("DOCKER_HOST", "tcp://docker:2375", true, false)
                .variable("DOCKER_TLS_CERTDIR", "", true, false)
                .variable("DOCKER_BUILDKIT", "0", true, false)
                .script(
                        "echo \"pod-mtu $(cat /sys/class/net/eth0/mtu)\"",
                        "echo \"dockerd-cmdline $(tr '\\0' ' ' < /proc/$(pgrep -x dockerd)/cmdline)\"",
                        "mkdir -p base/bin base/tmp",
                        "cp /bin/busybox base/bin/busybox",
                        "for tool in sh cat grep nslookup; do ln -s busybox base/bin/$tool; done",
                        "tar -C base -c . | docker import - rf-busybox:1",
                        "echo \"bridge-mtu $(docker network inspect bridge --format "
                                + "'{{index .Options \"com.docker.network.driver.mtu\"}}')\"",
                        "echo \"docker-run-mtu $(docker run --rm rf-busybox:1 cat /sys/class/net/eth0/mtu)\"",
                        "docker build --no-cache -t rf-dind-inherit:1 .")
                .build();

        JobView view = fleet.run(job, Duration.ofMinutes(5));

        String trace = fleet.gitlab().traceText(job.id());
        assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
        assertThat(trace)
                .contains("pod-mtu " + MTU)
                .contains("--mtu=" + MTU)
                .contains("--dns=" + fleet.cluster().dnsIp())
                .contains("--dns-search=" + fleet.namespace() + ".svc.cluster.local")
                .contains("--dns-opt=ndots:2")
                .contains("bridge-mtu " + MTU)
                .contains("docker-run-mtu " + MTU)
                .contains("run-step-mtu " + MTU)
                // busybox's answer; the step's own text, which docker build prints, has the address but not this.
                .containsPattern("Address:\\s+" + ADDRESS.replace(".", "\\."));
    }
}
