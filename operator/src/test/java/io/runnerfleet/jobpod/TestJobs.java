package io.runnerfleet.jobpod;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.KubernetesRules;
import io.runnerfleet.validation.FleetLoader;
import io.runnerfleet.yaml.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Job payloads and fleets for the builder's tests: the examples, and small jobs edited as JSON. */
final class TestJobs {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "glcbt-64_TestJobTokenValue000001";

    private TestJobs() {}

    static RunnerFleet seedFleet() {
        return new FleetLoader().load(Examples.path("seed-fleet.yaml")).get(0);
    }

    static ExecutorSpec seedExecutor() {
        return seedFleet().getSpec().executor();
    }

    static ObjectNode example(String file) {
        try {
            return (ObjectNode) JSON.readTree(Files.readString(Examples.path("jobs/" + file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small job: one script step, no image, no services, a token-bearing repo URL. */
    static ObjectNode minimal() {
        ObjectNode job = JSON.createObjectNode();
        job.put("id", 100).put("token", TOKEN);
        job.putObject("job_info").put("name", "test").put("project_id", 5).put("project_full_path", "group/app");
        job.putObject("git_info")
                .put("repo_url", "https://gitlab-ci-token:" + TOKEN + "@gitlab.example.com/group/app.git")
                .put("sha", "0123456789abcdef0123456789abcdef01234567")
                .put("ref", "main")
                .put("depth", 0);
        job.putObject("runner_info").put("timeout", 600);
        job.putArray("steps")
                .addObject()
                .put("name", "script")
                .put("when", "on_success")
                .putArray("script")
                .add("echo hello");
        job.putArray("variables");
        job.putArray("services");
        return job;
    }

    static ObjectNode variable(ObjectNode job, String key, String value) {
        ObjectNode v = ((ArrayNode) job.withArray("variables")).addObject();
        v.put("key", key).put("value", value).put("public", true).put("masked", false);
        return v;
    }

    static ObjectNode service(ObjectNode job, String name, String alias) {
        ObjectNode s = ((ArrayNode) job.withArray("services")).addObject();
        s.put("name", name);
        if (alias != null) {
            s.put("alias", alias);
        }
        return s;
    }

    static JobPayload read(ObjectNode job) {
        return JobPayloadReader.read("test job", job.toString());
    }

    static JobPodContext context(ExecutorSpec executor) {
        return new JobPodContext("fleet", "ci", executor, java.util.List.of(), null, null);
    }

    /** Builds, and checks the result against the API server's rules, as every test that builds a pod must. */
    static JobPodResources build(ObjectNode job, JobPodContext ctx) {
        JobPodResources resources = JobPodBuilder.build(read(job), ctx);
        KubernetesRules.assertValid(resources.pod(), resources.secret());
        return resources;
    }

    static JobPodResources build(ObjectNode job, ExecutorSpec executor) {
        return build(job, context(executor));
    }

    /** An executor from YAML, e.g. {@code "image: alpine\nprivileged: true"}. */
    static ExecutorSpec executor(String yaml) {
        try {
            return Yaml.STRICT_MAPPER.readValue(yaml, ExecutorSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
