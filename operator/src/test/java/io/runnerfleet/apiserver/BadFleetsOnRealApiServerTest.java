package io.runnerfleet.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.runnerfleet.testing.BadFleets;
import io.runnerfleet.testing.Cli;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same bad-fleet files, judged twice: offline by {@code render} and by a real API server holding the committed
 * CRD, created with {@code fieldValidation=Strict} as {@code kubectl apply} does by default. Each case the CRD can
 * express must be refused by the server itself, with a message naming the field {@code render} names.
 */
@ExtendWith(RealApiServerExtension.class)
class BadFleetsOnRealApiServerTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static KubernetesClient client;
    private static String namespace;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(RealApiServer server) {
        server.installCrd();
        client = server.admin();
        namespace = server.createNamespace("bad-fleets");
    }

    static Stream<BadFleets.Case> fleets() {
        return BadFleets.fleets();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fleets")
    void renderAndTheServerGiveTheSameVerdict(BadFleets.Case badFleet) throws IOException {
        Path file = write(badFleet.yaml());

        Cli.Result offline = Cli.run("render", "-f", file.toString());
        assertThat(offline.exitCode()).as(offline.err()).isEqualTo(2);
        assertThat(offline.err()).contains(badFleet.field());

        GenericKubernetesResource fleet = fleetOf(file);
        if (badFleet.server() == BadFleets.Server.ACCEPTS) {
            // A rule the CRD cannot express: stored by the server, reported by the operator in the fleet's status.
            assertThat(create(fleet).getMetadata().getUid()).isNotBlank();
            return;
        }
        KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class, () -> create(fleet));

        assertThat(refused).as("the server accepted %s", badFleet).isNotNull();
        String message = refused.getStatus().getMessage();
        assertThat(message).contains(badFleet.field()).contains(badFleet.serverMessage());
        if (refused.getCode() == 422) {
            // Invalid: one cause per field, the first one for this case's field.
            assertThat(refused.getStatus().getReason()).isEqualTo("Invalid");
            assertThat(refused.getStatus().getDetails().getCauses())
                    .extracting(StatusCause::getField)
                    .first()
                    .isEqualTo(badFleet.field());
        } else {
            // Strict field validation refuses unknown fields while decoding, before the schema: 400 BadRequest.
            assertThat(refused.getCode()).isEqualTo(400);
            assertThat(refused.getStatus().getReason()).isEqualTo("BadRequest");
        }
        assertThat(client.genericKubernetesResources("runnerfleet.io/v1alpha1", "RunnerFleet")
                        .inNamespace(namespace)
                        .withName(fleet.getMetadata().getName())
                        .get())
                .isNull();
    }

    @Test
    void theValidFleetOfTheTableIsAcceptedByBoth() throws IOException {
        Path file = write(BadFleets.VALID);
        assertThat(Cli.run("render", "-f", file.toString()).exitCode()).isZero();
        assertThat(create(fleetOf(file)).getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void everyCaseTheServerCanJudgeIsInTheTable() {
        // Guards the table: the cases the server sees are all the RunnerFleet documents of the bad-input list.
        List<String> judged = BadFleets.fleets().map(BadFleets.Case::name).toList();
        assertThat(judged).hasSize((int) BadFleets.CASES.stream()
                .filter(c -> c.server() != BadFleets.Server.NOT_A_FLEET)
                .count());
        assertThat(BadFleets.fleets().filter(c -> c.server() == BadFleets.Server.REJECTS))
                .extracting(BadFleets.Case::name)
                .contains(
                        "four nameservers",
                        "bad nameserver",
                        "negative replicas",
                        "bad quantity",
                        "policy None without nameservers",
                        "unknown field (typo)");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("fleet-" + NAMES.incrementAndGet() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The file's RunnerFleet, in this test's namespace and under a name of its own. */
    private static GenericKubernetesResource fleetOf(Path file) throws IOException {
        GenericKubernetesResource fleet =
                client.getKubernetesSerialization().unmarshal(Files.readString(file), GenericKubernetesResource.class);
        fleet.getMetadata().setNamespace(namespace);
        fleet.getMetadata().setName("fleet-" + NAMES.incrementAndGet());
        return fleet;
    }

    private static GenericKubernetesResource create(GenericKubernetesResource fleet) {
        return client.resource(fleet)
                .fieldValidation(FieldValidateable.Validation.STRICT)
                .create();
    }
}
