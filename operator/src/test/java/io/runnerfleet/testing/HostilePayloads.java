package io.runnerfleet.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Issue #18's hostile job payloads: what a malicious or careless {@code .gitlab-ci.yml}, project or merge request can
 * put into the job GitLab hands out. One table for three judges: {@code jobpod.GeneratedScriptsTest} runs the
 * scripts of each contained payload with real {@code sh} and checks no injected text ran and nothing was written
 * outside the builds and cache directories; {@code HostilePayloadsOnRealApiServerTest} dry-run creates each
 * contained payload's pod and Secret on a real API server; {@code manager.HostilePayloadsRefusedTest} shows each
 * refused payload fails the job before any pod, with a trace line and a failure reason.
 *
 * <p>Each edit receives a job (any job GitLab could send) and {@code inject}, a shell command that creates the
 * judge's canary file: text that would run it if any script evaluated job input.
 */
public final class HostilePayloads {
    /**
     * One hostile payload.
     *
     * @param edit    changes a job into the hostile one; the second argument is the canary command
     * @param refusal null when the job runs contained; else a fragment of the reason it is refused before any pod
     */
    public record Payload(String name, BiConsumer<ObjectNode, String> edit, String refusal) {
        public boolean refused() {
            return refusal != null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final int TEN_THOUSAND = 10_000;
    private static final int ONE_MB = 1024 * 1024;

    public static final List<Payload> PAYLOADS = List.of(
            contained(
                    "command substitution in a variable value",
                    (job, inject) -> variable(job, "V", "$(" + inject + ")")),
            contained("backticks in a variable value", (job, inject) -> variable(job, "V", "`" + inject + "`")),
            contained(
                    "single quote break-out in a variable value",
                    (job, inject) -> variable(job, "V", "'; " + inject + "; echo '")),
            contained(
                    "double quote break-out in a variable value",
                    (job, inject) -> variable(job, "V", "\"; " + inject + "; echo \"")),
            contained(
                    "newline then a command in a variable value",
                    (job, inject) -> variable(job, "V", "x\n" + inject + "\n")),
            contained(
                    "command in a masked variable",
                    (job, inject) -> variable(job, "V", "$(" + inject + ")").put("masked", true)),
            contained(
                    "command in a file variable",
                    (job, inject) -> variable(job, "V", "$(" + inject + ")").put("file", true)),
            contained("expansion of a variable holding a command", (job, inject) -> {
                variable(job, "INNER", "$(" + inject + ")");
                variable(job, "OUTER", "pre-$INNER-${INNER}-post");
            }),
            refused(
                    "shell metacharacters in a variable key",
                    (job, inject) -> variable(job, "A;" + inject, "x"),
                    "is not a valid environment variable name"),
            refused(
                    "newline in a variable key",
                    (job, inject) -> variable(job, "A\n" + inject, "x"),
                    "is not a valid environment variable name"),
            refused(
                    "path traversal in a file variable's key",
                    (job, inject) -> variable(job, "../../etc/passwd", "x").put("file", true),
                    "is not a valid environment variable name"),
            contained("command in the ref", (job, inject) -> gitInfo(job).put("ref", "main$(" + inject + ")")),
            contained("newline in the ref", (job, inject) -> gitInfo(job).put("ref", "main\n" + inject)),
            contained(
                    "command in the refspecs",
                    (job, inject) ->
                            gitInfo(job).putArray("refspecs").add("+refs/heads/*:refs/remotes/origin/*;" + inject)),
            contained("command in the sha", (job, inject) -> gitInfo(job).put("sha", "$(" + inject + ")")),
            contained("command in the job name", (job, inject) -> jobInfo(job).put("name", "`" + inject + "`")),
            refused(
                    "command in the project path",
                    (job, inject) -> jobInfo(job).put("project_full_path", "group/$(" + inject + ")"),
                    "is not a GitLab project path"),
            refused(
                    "path traversal in the project path",
                    (job, inject) -> jobInfo(job).put("project_full_path", "group/../../etc"),
                    "is not a GitLab project path"),
            refused(
                    "path traversal in GIT_CLONE_PATH",
                    (job, inject) -> variable(job, "GIT_CLONE_PATH", "/builds/../etc/app"),
                    "GIT_CLONE_PATH"),
            contained("command in the cache key", (job, inject) -> cache(job, "$(" + inject + ")", "vendor/")),
            contained(
                    "path traversal in the cache key and paths",
                    (job, inject) -> cache(job, "../../../etc", "../../outside")),
            contained("command in an artifact's name and paths", (job, inject) -> {
                ObjectNode artifact = job.putArray("artifacts").addObject();
                artifact.put("name", "$(" + inject + ")").put("when", "always");
                artifact.putArray("paths").add("../../`" + inject + "`");
            }),
            refused(
                    "command in the image name",
                    (job, inject) -> job.putObject("image").put("name", "alpine;" + inject),
                    "is not an image reference"),
            refused(
                    "an image reference that is not one",
                    (job, inject) ->
                            job.putObject("image").put("name", "https://registry.example.com/app image:latest"),
                    "is not an image reference"),
            refused(
                    "command in a service name",
                    (job, inject) -> service(job, "postgres$(" + inject + ")", null),
                    "is not an image reference"),
            refused(
                    "command in a service alias",
                    (job, inject) -> service(job, "postgres:16", "db;" + inject),
                    "is not a valid host name"),
            // The second gets a container name of its own (svc-0); both names resolve to the pod, as in
            // gitlab-runner's kubernetes executor, where the first service to listen on a port wins.
            contained("two services with one alias", (job, inject) -> {
                service(job, "postgres:16", "db");
                service(job, "mysql:8", "db");
            }),
            // The pod's own container names are reserved (ServicePlan): the service runs as svc-0.
            contained("a service named build", (job, inject) -> service(job, "build", "build")),
            refused(
                    "a NUL byte in a variable value",
                    (job, inject) -> variable(job, "V", "a\0b"),
                    "contains a NUL character"),
            refused("a NUL byte in the script", (job, inject) -> script(job).add("echo a\0b"), "NUL"),
            contained(
                    "a lone surrogate (invalid UTF-8) in a variable value",
                    (job, inject) -> variable(job, "V", "a\ud800b")),
            // Every container gets every variable: 10,000 of them outgrow what etcd stores for one pod.
            refused(
                    "ten thousand variables",
                    (job, inject) -> {
                        for (int i = 0; i < TEN_THOUSAND; i++) {
                            variable(job, "VAR_" + i, "value " + i);
                        }
                    },
                    "pass fewer or smaller variables"),
            contained("a thousand variables", (job, inject) -> {
                for (int i = 0; i < TEN_THOUSAND / 10; i++) {
                    variable(job, "VAR_" + i, "value " + i);
                }
            }),
            refused(
                    "a 10 MB script",
                    (job, inject) -> {
                        String line = "echo " + "x".repeat(1000);
                        for (int i = 0; i < 10 * 1024; i++) {
                            script(job).add(line);
                        }
                    },
                    "move long scripts into a file of the repository"),
            refused(
                    "a 1 MB variable",
                    (job, inject) -> variable(job, "BIG", "y".repeat(ONE_MB)),
                    "Linux passes at most 131072 bytes per environment variable"),
            refused(
                    "a 1 MB file variable",
                    (job, inject) -> variable(job, "BIG", "y".repeat(ONE_MB)).put("file", true),
                    "Kubernetes keeps at most 1048576 bytes in a Secret"),
            contained("a 100 kB variable", (job, inject) -> variable(job, "LARGE", "z".repeat(100 * 1024))));

    private HostilePayloads() {}

    public static Stream<Payload> contained() {
        return PAYLOADS.stream().filter(p -> !p.refused());
    }

    public static Stream<Payload> refused() {
        return PAYLOADS.stream().filter(Payload::refused);
    }

    private static Payload contained(String name, BiConsumer<ObjectNode, String> edit) {
        return new Payload(name, edit, null);
    }

    private static Payload refused(String name, BiConsumer<ObjectNode, String> edit, String refusal) {
        return new Payload(name, edit, refusal);
    }

    /** A raw variable: its value reaches the job as written (expansion is a case of its own). */
    private static ObjectNode variable(ObjectNode job, String key, String value) {
        return job.withArray("variables")
                .addObject()
                .put("key", key)
                .put("value", value)
                .put("public", true)
                .put("raw", !value.contains("$INNER"));
    }

    private static ObjectNode gitInfo(ObjectNode job) {
        return job.withObject("git_info");
    }

    private static ObjectNode jobInfo(ObjectNode job) {
        return job.withObject("job_info");
    }

    private static ArrayNode script(ObjectNode job) {
        return (ArrayNode) job.withArray("steps").get(0).get("script");
    }

    private static void cache(ObjectNode job, String key, String path) {
        job.putArray("cache")
                .addObject()
                .put("key", key)
                .put("policy", "pull-push")
                .putArray("paths")
                .add(path);
    }

    private static void service(ObjectNode job, String name, String alias) {
        ObjectNode service = job.withArray("services").addObject().put("name", name);
        if (alias != null) {
            service.put("alias", alias);
        }
    }
}
