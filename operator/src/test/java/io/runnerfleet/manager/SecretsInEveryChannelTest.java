package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.CacheS3Spec;
import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.CacheType;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.config.CacheCredentialsEnv;
import io.runnerfleet.testing.CapturedLog;
import io.runnerfleet.testing.DistinctSecrets;
import io.runnerfleet.testing.gitlab.RecordedRequest;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #18: a token or masked value never leaves the Secrets that legitimately hold it. One job whose runner token,
 * job token, masked variable, masked file variable, registry passwords and the cache's S3 secret key are distinctive
 * random strings runs on a manager; its build prints every one of them plainly, split across two log reads,
 * URL-encoded and as {@code set -x} shows them. Then every channel is searched for every secret
 * ({@link DistinctSecrets#forms}): the manager's log (every logger, every level down to TRACE, with MDC and stack traces),
 * every Event, every Pod (spec, annotations, labels, status; snapshotted while the build runs, as the pod goes with
 * the job), ConfigMaps, Leases, and what GitLab received as the trace (each PATCH and the final text).
 *
 * <p>What the trace masks is gitlab-runner's rule plus one deliberate extra: masked variable values as written
 * ({@code common/buildlogger/internal/masker}, phrases from {@code common/spec/variables.go} {@code Masked()}), tokens
 * after a token prefix ({@code internal/tokensanitizer}) and sensitive URL parameters ({@code internal/urlsanitizer});
 * gitlab-runner does not mask a masked value's URL-encoded form, we do ({@code TraceWriter}). Base64 forms are not
 * looked for in the trace: neither masks them, and a build that prints base64 of a secret publishes it. The
 * registry's {@code DOCKER_AUTH_CONFIG} cannot be a masked variable in GitLab (its JSON has characters masking
 * refuses), so the build prints only its password, which the job also sends as a masked variable.
 *
 * <p>The operator's channels (its log, the fleet's status, its Events and objects) are in {@code
 * fleet.AbstractSecretsInOperatorChannelsTest}.
 */
class SecretsInEveryChannelTest {
    private static final long JOB_ID = 18_001;
    private CapturedLog log;
    private final List<String> podSnapshots = Collections.synchronizedList(new ArrayList<>());
    private ManagerHarness harness;

    @BeforeEach
    void captureTheLog() {
        log = CapturedLog.start();
    }

    @AfterEach
    void release() {
        if (harness != null) {
            harness.close();
        }
        log.close();
    }

    /**
     * With and without {@code FF_TIMESTAMPS} (gitlab-runner's default is on): with it, each log read's lines get
     * headers, and a value split across two reads must still be masked whole.
     */
    @ParameterizedTest(name = "FF_TIMESTAMPS={0}")
    @ValueSource(booleans = {false, true})
    void noSecretInTheManagersLogEventsPodsConfigMapsLeasesOrTrace(boolean timestamps) {
        DistinctSecrets s = DistinctSecrets.random();
        harness = new ManagerHarness(b -> b.runnerTokens(s.runnerToken()));
        harness.kubelet.scenario(JOB_ID, printsEverySecret(s));
        CacheSpec cache = new CacheSpec(
                CacheType.S3,
                "ci",
                false,
                0L,
                new CacheS3Spec("s3.example.com", "caches", "", false, true, "shop-cache"),
                null,
                null);
        harness.startManager(
                "shop-manager-a",
                harness.config(2, cache, Map.of(FeatureFlags.TIMESTAMPS, timestamps)),
                "127.0.0.1:0",
                RunnerToken.of(s.runnerToken()),
                new CacheCredentialsEnv.S3Keys("AKIASECRETSTEST", s.s3SecretKey()));

        harness.gitlab.enqueue(job(s).toString());
        harness.awaitDone(JOB_ID, Duration.ofSeconds(60));

        assertThat(harness.gitlab.job(JOB_ID).state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(podSnapshots).as("the Job Pod was seen while its build ran").isNotEmpty();
        String trace = harness.gitlab.traceText(JOB_ID);
        assertThat(trace)
                .as("the build's output reached the trace, masked")
                .contains("plain ", "split ", "encoded ", "+ echo ", "[MASKED]");

        List<String> managerLog = log.productLines();
        assertThat(managerLog)
                .as("the manager's log was captured")
                .anySatisfy(line -> assertThat(line).contains(Long.toString(JOB_ID)));

        Map<String, List<String>> channels = new LinkedHashMap<>();
        channels.put("the manager's log", managerLog);
        channels.put("Job Pods while the build ran", podSnapshots);
        channels.put("objects after the job", objects(harness.client()));
        Map<String, List<String>> traceChannels = new LinkedHashMap<>();
        traceChannels.put("the trace GitLab keeps", List.of(trace));
        traceChannels.put("the trace PATCHes and job updates GitLab received", traceRequests());

        for (Map.Entry<String, String> secret : s.all().entrySet()) {
            for (Map.Entry<String, List<String>> channel : channels.entrySet()) {
                assertAbsent(
                        channel.getKey(),
                        channel.getValue(),
                        secret.getKey(),
                        DistinctSecrets.forms(secret.getValue()));
            }
            for (Map.Entry<String, List<String>> channel : traceChannels.entrySet()) {
                assertAbsent(
                        channel.getKey(),
                        channel.getValue(),
                        secret.getKey(),
                        DistinctSecrets.textForms(secret.getValue()));
            }
        }
    }

    private static void assertAbsent(String channel, List<String> texts, String secret, List<String> forms) {
        for (String form : forms) {
            for (String text : texts) {
                assertThat(text.contains(form))
                        .as("%s holds %s (as %s) in: %s", channel, secret, form, excerpt(text, form))
                        .isFalse();
            }
        }
    }

    private static String excerpt(String text, String form) {
        int at = text.indexOf(form);
        return at < 0 ? "" : text.substring(Math.max(0, at - 120), Math.min(text.length(), at + form.length() + 40));
    }

    /**
     * The build prints every secret four ways; each value the trace must mask is also split across two log reads: the
     * first half ends a read without a newline, the rest comes in the next one.
     */
    private KubeletDriver.Scenario printsEverySecret(DistinctSecrets s) {
        return k -> {
            k.step(x -> x.schedule());
            k.step(x -> x.startContainer("prepare").log("prepare", "Fetching changes"));
            k.step(x -> x.terminateContainer("prepare", 0));
            k.step(x -> x.startContainer("build").startContainer("helper"));
            podSnapshots.addAll(objects(harness.client()));
            for (String value : s.printed()) {
                k.step(x -> x.log(
                        "build",
                        "plain " + value,
                        "+ echo '" + value + "'",
                        "+ curl -u 'gitlab-ci-token:" + value + "' https://registry.example.com/v2/",
                        "encoded https://example.com/x?q=" + DistinctSecrets.formEncoded(value) + "&r="
                                + DistinctSecrets.percentEncoded(value, false)));
                int half = value.length() / 2;
                k.step(x -> x.logPartial("build", "split " + value.substring(0, half)));
                // Long enough for the manager's follower to read the half and end that read.
                Thread.sleep(400);
                k.step(x -> x.log("build", value.substring(half) + " end"));
            }
            podSnapshots.addAll(objects(harness.client()));
            k.step(x -> x.terminateContainer("build", 0));
            k.step(x -> x.log("helper", "Uploading cache"));
            k.step(x -> x.terminateContainer("helper", 0));
            k.step(x -> x.succeed());
        };
    }

    private ObjectNode job(DistinctSecrets s) {
        ObjectNode job = TestJob.builder(JOB_ID)
                .image("registry.example.com/acme/build:1")
                .registryCredentials("registry.example.com", "gitlab-ci-token", s.registryPassword())
                .variable("CI_REGISTRY_PASSWORD", s.registryPassword(), false, true)
                .variable("DEPLOY_KEY", s.maskedVariable(), false, true)
                .variable("DOCKER_PASSWORD", s.dockerPassword(), false, true)
                .variable("DOCKER_AUTH_CONFIG", s.dockerAuthConfig(), false, false)
                .variable("SIGNING_KEY", s.fileVariable(), false, true)
                .script("make test")
                .build()
                .node();
        // the job token everywhere GitLab puts it: the payload's token, CI_JOB_TOKEN, the clone URL
        String defaultToken = job.get("token").asText();
        job.put("token", s.jobToken());
        for (var variable : job.withArray("variables")) {
            ObjectNode v = (ObjectNode) variable;
            if (v.get("value").asText().equals(defaultToken)) {
                v.put("value", s.jobToken());
            }
            if (v.get("key").asText().equals("SIGNING_KEY")) {
                v.put("file", true);
            }
        }
        ObjectNode git = (ObjectNode) job.get("git_info");
        git.put("repo_url", git.get("repo_url").asText().replace(defaultToken, s.jobToken()));
        ArrayNode caches = job.putArray("cache");
        caches.addObject()
                .put("key", "deps")
                .put("untracked", false)
                .put("policy", "pull-push")
                .put("when", "on_success")
                .putArray("paths")
                .add("vendor/");
        return job;
    }

    private List<String> traceRequests() {
        List<String> bodies = new ArrayList<>();
        for (RecordedRequest r : harness.gitlab.requests()) {
            if (r.endpoint().equals("patch_trace")) {
                bodies.add(r.bodyText());
            } else if (r.endpoint().equals("update_job")) {
                // the job token authenticates the update (gitlab-runner's UpdateJobRequest.Token): all else counts
                ObjectNode update = (ObjectNode) r.json();
                update.remove("token");
                bodies.add(update.toString());
            }
        }
        return bodies;
    }

    /** Every object of the kinds a manager writes, but Secrets, as JSON. */
    private static List<String> objects(KubernetesClient client) {
        var json = client.getKubernetesSerialization();
        List<String> out = new ArrayList<>();
        String ns = ManagerHarness.NAMESPACE;
        client.pods().inNamespace(ns).list().getItems().forEach(o -> out.add(json.asJson(o)));
        client.v1().events().inNamespace(ns).list().getItems().forEach(o -> out.add(json.asJson(o)));
        client.events().v1().events().inNamespace(ns).list().getItems().forEach(o -> out.add(json.asJson(o)));
        client.configMaps().inNamespace(ns).list().getItems().forEach(o -> out.add(json.asJson(o)));
        client.leases().inNamespace(ns).list().getItems().forEach(o -> out.add(json.asJson(o)));
        client.services().inNamespace(ns).list().getItems().forEach(o -> out.add(json.asJson(o)));
        return out;
    }
}
