package io.runnerfleet.testing.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.runnerfleet.manager.trace.ContainerRunState;
import io.runnerfleet.manager.trace.PodContainerStateProbe;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedKubeletTest {
    private static final String NS = "jobs";
    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
    private KubeletMockServer mock;
    private KubernetesClient client;
    private SimulatedKubelet kubelet;
    private PodContainerStateProbe probe;

    @BeforeEach
    void start() {
        mock = KubeletMockServer.start(clock);
        client = mock.client();
        client.pods().inNamespace(NS).resource(JobPods.jobPod(NS, "job-1")).create();
        kubelet = mock.kubelet(NS, "job-1");
        probe = new PodContainerStateProbe(client, NS, "job-1");
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        var http = client.getHttpClient();
        return http.sendAsync(
                        http.newHttpRequestBuilder()
                                .uri(URI.create(client.getMasterUrl() + path))
                                .build(),
                        String.class)
                .get();
    }

    @Test
    void movesAPodThroughItsLife() {
        kubelet.schedule();
        assertThat(kubelet.pod().getStatus().getPhase()).isEqualTo("Pending");
        assertThat(probe.state("prepare")).isEqualTo(ContainerRunState.NOT_STARTED);

        kubelet.startContainer("prepare");
        assertThat(probe.state("prepare")).isEqualTo(ContainerRunState.RUNNING);
        kubelet.terminateContainer("prepare", 0).startContainer("svc-0").startContainer("build");
        Pod pod = kubelet.pod();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(probe.state("prepare")).isEqualTo(ContainerRunState.TERMINATED);
        assertThat(probe.state("svc-0")).isEqualTo(ContainerRunState.RUNNING);
        assertThat(probe.state("build")).isEqualTo(ContainerRunState.RUNNING);
        assertThat(probe.state("helper")).isEqualTo(ContainerRunState.NOT_STARTED);

        kubelet.terminateContainer("build", 3)
                .startContainer("helper")
                .terminateContainer("helper", 0)
                .fail();
        pod = kubelet.pod();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(pod.getStatus().getContainerStatuses())
                .filteredOn(c -> c.getName().equals("build"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.getState().getTerminated().getExitCode()).isEqualTo(3);
                    assertThat(c.getState().getTerminated().getReason()).isEqualTo("Error");
                });
        // status written with PUT: conditions are replaced, not appended (docs/versions.md, pitfall 6)
        assertThat(pod.getStatus().getConditions()).extracting("type").doesNotHaveDuplicates();
    }

    @Test
    void failuresTheControllerMustRecognise() {
        kubelet.schedule().imagePullError("build", "ImagePullBackOff", "Back-off pulling image \"nope:1\"");
        assertThat(kubelet.pod().getStatus().getContainerStatuses())
                .filteredOn(c -> c.getName().equals("build"))
                .singleElement()
                .satisfies(
                        c -> assertThat(c.getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff"));

        kubelet.unschedulable("0/3 nodes are available: 3 Insufficient cpu.");
        assertThat(kubelet.pod().getStatus().getConditions())
                .filteredOn(c -> c.getType().equals("PodScheduled"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("Unschedulable");
                });
    }

    @Test
    void evictionAndDeadlineKillRunningContainers() {
        kubelet.schedule()
                .startContainer("prepare")
                .terminateContainer("prepare", 0)
                .startContainer("build")
                .evict("The node was low on resource: memory.");
        Pod pod = kubelet.pod();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(pod.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(probe.state("build")).isEqualTo(ContainerRunState.TERMINATED);
        assertThat(probe.state("helper")).isEqualTo(ContainerRunState.WILL_NOT_RUN);
        assertThat(mock.logs().terminated(NS, "job-1", "build")).isTrue();

        client.pods().inNamespace(NS).resource(JobPods.jobPod(NS, "job-2")).create();
        mock.kubelet(NS, "job-2").schedule().startContainer("prepare").deadlineExceeded();
        assertThat(mock.kubelet(NS, "job-2").pod().getStatus().getReason()).isEqualTo("DeadlineExceeded");
    }

    @Test
    void servesLogsLikeAKubelet() throws Exception {
        assertThat(get("api/v1/namespaces/jobs/pods/nope/log?container=build").code())
                .isEqualTo(404);
        HttpResponse<String> waiting = get("api/v1/namespaces/jobs/pods/job-1/log?container=build&follow=true");
        assertThat(waiting.code()).isEqualTo(400);
        assertThat(waiting.body()).contains("is waiting to start");

        kubelet.schedule().startContainer("build");
        kubelet.log("build", "one");
        clock.advance(Duration.ofMillis(1500));
        kubelet.log("build", "two");
        clock.advance(Duration.ofMillis(10));
        kubelet.log("build", "three");

        assertThat(get("api/v1/namespaces/jobs/pods/job-1/log?container=build").body())
                .isEqualTo("one\ntwo\nthree\n");
        assertThat(get("api/v1/namespaces/jobs/pods/job-1/log?container=build&timestamps=true")
                        .body())
                .isEqualTo("2024-05-01T10:00:00Z one\n2024-05-01T10:00:01.5Z two\n2024-05-01T10:00:01.51Z three\n");
        // sinceTime counts in whole seconds: 10:00:01.7 gives everything from 10:00:01
        assertThat(get("api/v1/namespaces/jobs/pods/job-1/log?container=build&sinceTime=2024-05-01T10%3A00%3A01.7Z")
                        .body())
                .isEqualTo("two\nthree\n");
        assertThat(get("api/v1/namespaces/jobs/pods/job-1/log?container=build&tailLines=1")
                        .body())
                .isEqualTo("three\n");

        mock.logs().endStreamsEvery(2);
        String follow = "api/v1/namespaces/jobs/pods/job-1/log?container=build&follow=true";
        assertThat(get(follow).body()).isEqualTo("one\ntwo\n");
        // the next stream repeats what it must and then brings 2 lines nobody was served yet
        kubelet.log("build", "four");
        assertThat(get(follow + "&sinceTime=2024-05-01T10:00:01Z").body()).isEqualTo("two\nthree\nfour\n");
        assertThat(mock.logs().requests()).hasSize(6); // the 404 and 400 were answered before the store was asked
    }

    @Test
    void everythingElseGoesToTheCrudDispatcher() {
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("c")
                        .endMetadata()
                        .addToData("k", "v")
                        .build())
                .create();
        assertThat(client.configMaps().inNamespace(NS).withName("c").get().getData())
                .containsEntry("k", "v");
        assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(1);
    }
}
