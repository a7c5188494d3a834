package io.runnerfleet.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.jobpod.JobPodResources;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.HostilePayloads;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.testing.gitlab.TestJob;
import io.runnerfleet.validation.FleetLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each contained {@link HostilePayloads} payload gives a Job Pod and Secret the real API server accepts (a dry-run
 * create runs every validation and admission step without storing): hostile text stays data in a valid spec.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class HostilePayloadsOnRealApiServerTest {
    private static final AtomicLong IDS = new AtomicLong(8100);
    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void start(RealApiServer server) {
        client = server.admin();
        namespace = server.createNamespace("hostile");
    }

    static Stream<HostilePayloads.Payload> contained() {
        return HostilePayloads.contained();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contained")
    void theJobPodAndSecretAreValid(HostilePayloads.Payload payload) {
        ObjectNode job = TestJob.builder(IDS.incrementAndGet()).build().node();
        payload.edit().accept(job, "touch /tmp/runner-fleet-canary");
        RunnerFleet fleet =
                new FleetLoader().load(Examples.path("seed-fleet.yaml")).get(0);

        JobPodResources resources = JobPodBuilder.build(
                JobPayloadReader.read("hostile job", job.toString()), JobPodContext.forFleet(fleet));

        Secret secret = client.resource(new SecretBuilder(resources.secret())
                        .editMetadata()
                        .withNamespace(namespace)
                        .endMetadata()
                        .build())
                .dryRun()
                .create();
        Pod pod = client.resource(new PodBuilder(resources.pod())
                        .editMetadata()
                        .withNamespace(namespace)
                        .endMetadata()
                        .build())
                .dryRun()
                .create();
        assertThat(secret.getMetadata().getUid()).isNotBlank();
        assertThat(pod.getSpec().getContainers()).isNotEmpty();
    }
}
