package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.runnerfleet.api.v1alpha1.ManagerReport;
import io.runnerfleet.desired.ManagerPermissions;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.RecordedRequest;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import io.runnerfleet.testing.kubelet.KubeletLogDispatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code spec.gitlab.tokenRotation} with two managers of one fleet against the test GitLab, whose token expires in
 * seconds: the Lease {@code shop-token-rotation} elects one, which resets the token once and writes it into the
 * fleet's Secret; both go on taking jobs with the new token, neither restarts. A failed reset keeps the old token and
 * is reported on the rotating manager's Lease.
 */
class TokenRotationTest {
    private static final String SECRET = "shop-token";
    /**
     * The first token expires 16 s after GitLab starts and is rotated 10 s before, so 6 s in: both managers have
     * started (and verified it) by then; one starting later would find it reset and be refused, as a pod would.
     */
    private static final Duration LIFETIME = Duration.ofSeconds(16);

    private static final Duration BEFORE = Duration.ofSeconds(10);

    private final ManagerHarness harness = new ManagerHarness(b -> b.tokenLifetime(LIFETIME));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger logger;
    private Level previousLevel;
    private SecretVolume volume;

    @TempDir
    Path dir;

    @BeforeEach
    void captureLogs() {
        logger = (Logger) LoggerFactory.getLogger("io.runnerfleet");
        previousLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stop() {
        if (volume != null) {
            volume.close();
        }
        harness.close();
        logger.detachAppender(logs);
        logger.setLevel(previousLevel);
    }

    @Test
    void oneOfTwoManagersRotatesTheExpiringTokenIntoTheSecretAndBothTakeJobsWithItWithoutARestart() {
        createSecretAndMountIt(TestGitLab.RUNNER_TOKEN);
        // Tokens handed out by the reset live long: the test sees exactly one rotation.
        harness.gitlab.setTokenLifetime(Duration.ofHours(1));
        RunnerManager a = startManager("shop-manager-a");
        RunnerManager b = startManager("shop-manager-b");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !harness.gitlab.runnerTokens().contains(TestGitLab.RUNNER_TOKEN));
        String rotated = harness.gitlab.runnerTokens().iterator().next();
        await().atMost(Duration.ofSeconds(10)).until(() -> rotated.equals(secretToken()));

        // Four jobs held mid-build and two slots per manager: both managers must take two each.
        CountDownLatch release = new CountDownLatch(1);
        for (long id = 401; id <= 404; id++) {
            harness.kubelet.scenario(id, Scenarios.heldMidBuild(release));
            harness.gitlab.enqueue(TestJob.builder(id).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> handedOutTo(rotated).size() == 2);
        release.countDown();
        for (long id = 401; id <= 404; id++) {
            harness.awaitDone(id, Duration.ofSeconds(30));
        }

        assertThat(harness.gitlab.requests("reset_token"))
                .as("exactly one manager reset the token, once")
                .hasSize(1);
        assertThat(handedOutTo(rotated))
                .containsExactlyInAnyOrder(
                        ManagerIdentity.systemIdFor("shop-manager-a"), ManagerIdentity.systemIdFor("shop-manager-b"));
        assertThat(harness.gitlab.runnerTokens()).containsExactly(rotated);
        // Elected through the rotation Lease (released after the rotation, so it may be gone now), which carries no
        // fleet label: the fleet's manager Leases are still exactly the two managers'.
        assertThat(logLines())
                .anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .matches("lease=shop-token-rotation holder=shop-manager-[ab] acquired"));
        assertThat(leaseReports()).hasSize(2);
        // The same two processes all along: started once, each verified at start, still running.
        assertThat(a.ready()).isTrue();
        assertThat(b.ready()).isTrue();
        assertThat(managerCallsOnTheSecret())
                .as("the rotating manager's calls on the token Secret: what its Role grants, by name")
                .isSubsetOf(ManagerPermissions.TOKEN_SECRET_VERBS)
                .contains("update");
        assertNoTokenLogged(TestGitLab.RUNNER_TOKEN, rotated);
        assertThat(leaseReports())
                .allSatisfy(report -> assertThat(report).doesNotContainKey(ManagerReport.TOKEN_ROTATION_FAILED));
    }

    @Test
    void aFailedResetKeepsTheOldTokenAndIsReportedOnTheRotatingManagersLeaseUntilARetrySucceeds() {
        createSecretAndMountIt(TestGitLab.RUNNER_TOKEN);
        harness.gitlab.setTokenLifetime(Duration.ofHours(1));
        harness.faults(FaultPlan.errors(17, 1.0, 500, "reset_token"));
        startManager("shop-manager-a");
        startManager("shop-manager-b");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> leaseReports().stream().anyMatch(r -> r.containsKey(ManagerReport.TOKEN_ROTATION_FAILED)));
        assertThat(harness.gitlab.runnerTokens()).containsExactly(TestGitLab.RUNNER_TOKEN);
        assertThat(secretToken()).isEqualTo(TestGitLab.RUNNER_TOKEN);
        List<Map<String, String>> failing = leaseReports().stream()
                .filter(r -> r.containsKey(ManagerReport.TOKEN_ROTATION_FAILED))
                .toList();
        assertThat(failing).as("only the elected manager rotates, and reports").hasSize(1);
        assertThat(failing.get(0).get(ManagerReport.TOKEN_ROTATION_FAILED))
                .contains("500")
                .contains("the old token stays")
                .doesNotContain(TestGitLab.RUNNER_TOKEN);
        assertThat(failing.get(0)).containsKey(ManagerReport.TOKEN_ROTATION_FAILED_SINCE);
        // The old token still works: jobs go on.
        harness.gitlab.enqueue(TestJob.builder(411).build());
        harness.awaitDone(411, Duration.ofSeconds(30));

        harness.faults(FaultPlan.NONE);
        await().atMost(Duration.ofSeconds(40))
                .until(() -> !harness.gitlab.runnerTokens().contains(TestGitLab.RUNNER_TOKEN));
        String rotated = harness.gitlab.runnerTokens().iterator().next();
        await().atMost(Duration.ofSeconds(10)).until(() -> rotated.equals(secretToken()));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        leaseReports().stream().noneMatch(r -> r.containsKey(ManagerReport.TOKEN_ROTATION_FAILED)));
        assertNoTokenLogged(TestGitLab.RUNNER_TOKEN, rotated);
    }

    @Test
    void whenTheSecretWriteFailsAfterTheResetTheNewTokenIsKeptInMemoryTheWriteRetriedAndTheTokenNeverResetAgain() {
        createSecretAndMountIt(TestGitLab.RUNNER_TOKEN);
        harness.gitlab.setTokenLifetime(Duration.ofHours(1));
        harness.kube.refuse(new KubeletLogDispatcher.Refusal(
                "PUT", "/api/v1/namespaces/" + ManagerHarness.NAMESPACE + "/secrets/" + SECRET, 500, "InternalError"));
        startManager("shop-manager-a");
        startManager("shop-manager-b");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !harness.gitlab.runnerTokens().contains(TestGitLab.RUNNER_TOKEN));
        String rotated = harness.gitlab.runnerTokens().iterator().next();
        // Reported once the client gives up on the write (it retries a 500 itself for a while).
        await().atMost(Duration.ofSeconds(60))
                .until(() -> leaseReports().stream()
                        .anyMatch(r -> r.getOrDefault(ManagerReport.TOKEN_ROTATION_FAILED, "")
                                .contains("writing Secret ci/shop-token key token failed (")));
        assertThat(leaseReports())
                .as("no peer took over and tried to reset with the invalidated token")
                .filteredOn(r -> r.containsKey(ManagerReport.TOKEN_ROTATION_FAILED))
                .hasSize(1);
        assertThat(secretToken()).isEqualTo(TestGitLab.RUNNER_TOKEN);
        // GitLab refuses the old token now; the rotating manager works on with the new one, from memory.
        harness.gitlab.enqueue(TestJob.builder(421).build());
        harness.awaitDone(421, Duration.ofSeconds(30));
        assertThat(handedOutTo(rotated)).hasSize(1);
        assertThat(logLines()).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).contains("TOKEN ROTATION INCOMPLETE", "ci/shop-token");
        });

        harness.kube.refuse(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> rotated.equals(secretToken()));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        leaseReports().stream().noneMatch(r -> r.containsKey(ManagerReport.TOKEN_ROTATION_FAILED)));
        assertThat(harness.gitlab.requests("reset_token"))
                .as("the write was retried, the reset never repeated")
                .hasSize(1);
        assertNoTokenLogged(TestGitLab.RUNNER_TOKEN, rotated);
    }

    /** The token Secret, mounted (by the simulated kubelet) into both managers' token files. */
    private void createSecretAndMountIt(String token) {
        harness.client()
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(SECRET)
                        .withNamespace(ManagerHarness.NAMESPACE)
                        .endMetadata()
                        .addToData("token", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
                        .build())
                .create();
        volume = new SecretVolume(
                        harness.client(),
                        ManagerHarness.NAMESPACE,
                        SECRET,
                        "token",
                        List.of(tokenFile("shop-manager-a"), tokenFile("shop-manager-b")))
                .mount(Duration.ofMillis(500));
    }

    private Path tokenFile(String podName) {
        return dir.resolve(podName + "-token");
    }

    private RunnerManager startManager(String podName) {
        assertThat(harness.gitlab.requests("reset_token"))
                .as("no rotation before both managers started (the machine was too slow for this test's timing)")
                .isEmpty();
        return harness.startManager(
                podName,
                harness.rotatingConfig(2, BEFORE, SECRET),
                "127.0.0.1:0",
                RunnerToken.following(tokenFile(podName), Instant.now()));
    }

    private String secretToken() {
        Secret secret = harness.client()
                .secrets()
                .inNamespace(ManagerHarness.NAMESPACE)
                .withName(SECRET)
                .get();
        return new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
    }

    /** The system_ids of the managers GitLab handed a job to (201) for a request carrying {@code token}. */
    private Set<String> handedOutTo(String token) {
        Set<String> systemIds = new TreeSet<>();
        for (RecordedRequest request : harness.gitlab.requests("request_job")) {
            if (request.status() == 201
                    && token.equals(request.json().path("token").asText())) {
                systemIds.add(request.json().path("system_id").asText());
            }
        }
        return systemIds;
    }

    private List<Map<String, String>> leaseReports() {
        return harness
                .client()
                .leases()
                .inNamespace(ManagerHarness.NAMESPACE)
                .withLabel("runnerfleet.io/fleet", ManagerHarness.FLEET)
                .list()
                .getItems()
                .stream()
                .map(lease -> lease.getMetadata().getAnnotations() == null
                        ? Map.<String, String>of()
                        : lease.getMetadata().getAnnotations())
                .toList();
    }

    /** The verbs the managers used on the token Secret by name ({@code get} is a GET, {@code update} a PUT). */
    private Set<String> managerCallsOnTheSecret() {
        Set<String> verbs = new TreeSet<>();
        harness.kube.requests().stream()
                .filter(r -> ManagerHarness.MANAGER_USER_AGENT.equals(r.userAgent()))
                .filter(r -> r.path().contains("/secrets/" + SECRET))
                .forEach(r -> verbs.add(
                        switch (r.method()) {
                            case "GET" -> "get";
                            case "PUT" -> "update";
                            case "PATCH" -> "patch";
                            case "DELETE" -> "delete";
                            default -> "create";
                        }));
        return verbs;
    }

    /** A copy: the managers' threads go on logging, and the appender adds under its own lock. */
    private List<ILoggingEvent> logLines() {
        synchronized (logs) {
            return new ArrayList<>(logs.list);
        }
    }

    private void assertNoTokenLogged(String... tokens) {
        List<ILoggingEvent> lines = logLines();
        assertThat(lines).isNotEmpty();
        for (ILoggingEvent event : lines) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null
                            ? ""
                            : " " + event.getThrowableProxy().getMessage());
            for (String token : tokens) {
                assertThat(line).as("a log line").doesNotContain(token);
            }
        }
    }
}
