package io.runnerfleet.testing.gitlab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a job payload as {@code POST /api/v4/jobs/request} returns it (docs/gitlab-protocol.md), with realistic
 * defaults: a bash job {@code make test} on {@code alpine:3.20}, one masked variable, GitLab's job features.
 */
public final class TestJob {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong(4700);

    /** Failure reasons a current GitLab announces in {@code features.failure_reasons}. */
    public static final List<String> FAILURE_REASONS = List.of(
            "unknown_failure",
            "script_failure",
            "api_failure",
            "stuck_or_timeout_failure",
            "runner_system_failure",
            "missing_dependency_failure",
            "runner_unsupported",
            "stale_schedule",
            "job_execution_timeout",
            "archived_failure",
            "unmet_prerequisites",
            "scheduler_failure",
            "data_integrity_failure",
            "forward_deployment_failure",
            "user_blocked",
            "project_deleted",
            "insufficient_bridge_permissions",
            "downstream_bridge_project_not_found",
            "invalid_bridge_trigger",
            "bridge_pipeline_is_child_pipeline",
            "downstream_pipeline_creation_failed",
            "secrets_provider_not_found",
            "reached_max_descendant_pipelines_depth",
            "ip_restriction_failure",
            "reached_max_pipeline_hierarchy_size",
            "reached_downstream_pipeline_trigger_rate_limit",
            "image_pull_failure",
            "runner_configuration_error");

    private final ObjectNode root;

    private TestJob(ObjectNode root) {
        this.root = root;
    }

    /** A builder with the next free job id. */
    public static Builder builder() {
        return new Builder(IDS.incrementAndGet());
    }

    public static Builder builder(long id) {
        return new Builder(id);
    }

    public long id() {
        return root.get("id").asLong();
    }

    public String token() {
        return root.get("token").asText();
    }

    public ObjectNode node() {
        return root.deepCopy();
    }

    public String json() {
        return root.toString();
    }

    public static final class Builder {
        private final ObjectNode root = JSON.createObjectNode();
        private final ObjectNode jobInfo;
        private final ObjectNode gitInfo;
        private final ArrayNode variables;
        private final ArrayNode steps;
        private final ArrayNode services;
        private final ObjectNode features;

        private Builder(long id) {
            root.put("id", id);
            root.put("token", "glcbt-64_TestJobToken" + id + "x9Zq");
            root.put("allow_git_fetch", true);
            jobInfo = root.putObject("job_info");
            jobInfo.put("name", "test")
                    .put("stage", "test")
                    .put("pipeline_id", 900)
                    .put("project_id", 42)
                    .put("project_name", "shop")
                    .put("project_full_path", "acme/shop")
                    .put("namespace_id", 7)
                    .put("root_namespace_id", 7)
                    .put("user_id", 3)
                    .put("time_in_queue_seconds", 1.5)
                    .put("project_jobs_running_on_instance_runners_count", "0")
                    .put("queue_size", 0)
                    .put("queue_depth", 0);
            gitInfo = root.putObject("git_info");
            root.putObject("runner_info").put("timeout", 3600);
            variables = root.putArray("variables");
            steps = root.putArray("steps");
            root.putObject("image").put("name", "alpine:3.20");
            services = root.putArray("services");
            root.putArray("artifacts");
            root.putArray("cache");
            root.putArray("credentials");
            root.putArray("dependencies");
            features = root.putObject("features");
            features.put("trace_sections", true);
            features.putArray("token_mask_prefixes").add("glpat-").add("glcbt-").add("glrt-");
            ArrayNode reasons = features.putArray("failure_reasons");
            FAILURE_REASONS.forEach(reasons::add);
            repo("https://gitlab.example.com/acme/shop.git", "main", "3f2c1e9a7b5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b");
            variable("CI_JOB_ID", Long.toString(id), true, false);
            variable("CI_JOB_TOKEN", root.get("token").asText(), false, true);
            script("make test");
        }

        public Builder token(String token) {
            root.put("token", token);
            return this;
        }

        public Builder name(String name) {
            jobInfo.put("name", name);
            return this;
        }

        public Builder stage(String stage) {
            jobInfo.put("stage", stage);
            return this;
        }

        public Builder project(long projectId, String fullPath) {
            jobInfo.put("project_id", projectId)
                    .put("project_full_path", fullPath)
                    .put("project_name", fullPath.substring(fullPath.lastIndexOf('/') + 1));
            return this;
        }

        /** {@code git_info}; the job token is put into {@code repo_url} as GitLab does. */
        public Builder repo(String url, String ref, String sha) {
            String withToken = url.replaceFirst(
                    "^(https?://)", "$1gitlab-ci-token:" + root.get("token").asText() + "@");
            gitInfo.put("repo_url", withToken)
                    .put("repo_object_format", "sha1")
                    .put("ref", ref)
                    .put("sha", sha)
                    .put("before_sha", "0000000000000000000000000000000000000000")
                    .put("ref_type", "branch")
                    .put("depth", 20)
                    .put("protected", false);
            gitInfo.putArray("refspecs").add("+refs/heads/" + ref + ":refs/remotes/origin/" + ref);
            return this;
        }

        /** A {@code credentials} entry of type {@code registry}, as GitLab sends for its own registry. */
        public Builder registryCredentials(String url, String username, String password) {
            ArrayNode credentials =
                    root.has("credentials") ? (ArrayNode) root.get("credentials") : root.putArray("credentials");
            credentials
                    .addObject()
                    .put("type", "registry")
                    .put("url", url)
                    .put("username", username)
                    .put("password", password);
            return this;
        }

        public Builder timeoutSeconds(int seconds) {
            ((ObjectNode) root.get("runner_info")).put("timeout", seconds);
            return this;
        }

        public Builder variable(String key, String value, boolean isPublic, boolean masked) {
            variables
                    .addObject()
                    .put("key", key)
                    .put("value", value)
                    .put("public", isPublic)
                    .put("file", false)
                    .put("masked", masked);
            return this;
        }

        /** Replaces the {@code script} step. */
        public Builder script(String... lines) {
            removeStep("script");
            ObjectNode step = JSON.createObjectNode();
            step.put("name", "script");
            ArrayNode script = step.putArray("script");
            for (String line : lines) {
                script.add(line);
            }
            step.put("timeout", 3600).put("when", "on_success").put("allow_failure", false);
            steps.insert(0, step);
            return this;
        }

        public Builder afterScript(String... lines) {
            removeStep("after_script");
            ObjectNode step = steps.addObject();
            step.put("name", "after_script");
            ArrayNode script = step.putArray("script");
            for (String line : lines) {
                script.add(line);
            }
            step.put("timeout", 3600).put("when", "always").put("allow_failure", true);
            return this;
        }

        public Builder image(String name) {
            root.putObject("image").put("name", name);
            return this;
        }

        /** The job's image with its {@code pull_policy} list, as GitLab sends {@code image:pull_policy}. */
        public Builder image(String name, String... pullPolicies) {
            ArrayNode policies = root.putObject("image").put("name", name).putArray("pull_policy");
            for (String policy : pullPolicies) {
                policies.add(policy);
            }
            return this;
        }

        public Builder service(String name, String alias) {
            return service(name, alias, new String[0]);
        }

        /** A service with {@code command} (the arguments given to its image's entrypoint, as GitLab sends them). */
        public Builder service(String name, String alias, String... command) {
            ObjectNode service = services.addObject().put("name", name);
            if (alias != null) {
                service.put("alias", alias);
            }
            if (command.length > 0) {
                ArrayNode array = service.putArray("command");
                for (String word : command) {
                    array.add(word);
                }
            }
            return this;
        }

        /**
         * A {@code cache} entry as GitLab sends it ({@code when: on_success}, no fallback keys); {@code key} is
         * expanded by the runner, as written in {@code .gitlab-ci.yml}.
         */
        public Builder cache(String key, String policy, String... paths) {
            ObjectNode cache = ((ArrayNode) root.get("cache")).addObject();
            cache.put("key", key).put("untracked", false).put("policy", policy).put("when", "on_success");
            ArrayNode array = cache.putArray("paths");
            for (String path : paths) {
                array.add(path);
            }
            cache.putArray("fallback_keys");
            return this;
        }

        /** Sets a key of the job's {@code features} (e.g. {@code trace_sections}). */
        public Builder feature(String key, boolean value) {
            features.put(key, value);
            return this;
        }

        public Builder failureReasons(String... reasons) {
            ArrayNode array = features.putArray("failure_reasons");
            for (String reason : reasons) {
                array.add(reason);
            }
            return this;
        }

        public TestJob build() {
            return new TestJob(root.deepCopy());
        }

        private void removeStep(String name) {
            for (int i = steps.size() - 1; i >= 0; i--) {
                if (name.equals(steps.get(i).path("name").asText())) {
                    steps.remove(i);
                }
            }
        }
    }
}
