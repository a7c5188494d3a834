package io.runnerfleet.testing;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The Foundation's bad-input list: fleets that {@code render} must refuse (exit 2, naming the file and the field).
 * One table for two judges: {@code BadInputTest} checks the offline verdict and message of every case, and
 * {@code BadFleetsOnRealApiServerTest} posts the same files to a real API server with the committed CRD, which
 * must reject each case the CRD's schema or CEL rules can express, naming the same field. The cases the schema
 * accepts ({@link Server#ACCEPTS}) are a third judge's: {@code BadFleetsDegradeOnRealApiServerTest} shows the operator
 * marks each Degraded naming the field, touching no other fleet's objects.
 */
public final class BadFleets {
    /** A fleet both judges accept; each case changes one thing in it. */
    public static final String VALID = """
            apiVersion: runnerfleet.io/v1alpha1
            kind: RunnerFleet
            metadata: {name: build-fleet, namespace: gitlab}
            spec:
              gitlab:
                url: http://gitlab.example.com/
                tokenSecretRef: {name: build-fleet-token}
              managers:
                replicas: 3
                concurrent: 10
              executor:
                build: {cpuLimit: "2", memoryLimit: 2Gi}
                dns:
                  policy: None
                  nameservers: [10.0.0.2]
            """;

    /** What the API server does with a case when it is created (with {@code fieldValidation=Strict}). */
    public enum Server {
        /** The CRD's schema or CEL rules express the rule: the server refuses it (422 or 400). */
        REJECTS,
        /**
         * A well-formed RunnerFleet whose rule the CRD cannot express (checked by {@code FleetSemantics} only): the
         * server stores it, and the operator reports it in the fleet's status instead.
         */
        ACCEPTS,
        /** Not a RunnerFleet document at all (YAML syntax, kind, apiVersion): nothing to post to the fleet API. */
        NOT_A_FLEET
    }

    /**
     * One bad fleet.
     *
     * @param field         the field path both judges name
     * @param offline       what {@code render}'s message says about it
     * @param server        what the API server does with it
     * @param serverMessage a fragment of the API server's message, which starts with the field for 422 Invalid
     *                      ({@code <field>: <detail>}, as {@code kubectl} prints it); null unless it rejects
     */
    public record Case(String name, String yaml, String field, String offline, Server server, String serverMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static final List<Case> CASES = List.of(
            new Case(
                    "malformed YAML", "spec: [unclosed\n  foo: {", "line ", "malformed YAML", Server.NOT_A_FLEET, null),
            new Case(
                    "wrong kind",
                    VALID.replace("kind: RunnerFleet", "kind: Deployment"),
                    "kind",
                    "\"Deployment\" is not RunnerFleet",
                    Server.NOT_A_FLEET,
                    null),
            new Case(
                    "wrong apiVersion",
                    VALID.replace("runnerfleet.io/v1alpha1", "runnerfleet.io/v1"),
                    "apiVersion",
                    "expected runnerfleet.io/v1alpha1",
                    Server.NOT_A_FLEET,
                    null),
            new Case(
                    "unknown field (typo)",
                    VALID.replace("replicas: 3", "replica: 3"),
                    "spec.managers.replica",
                    "did you mean \"replicas\"",
                    Server.REJECTS,
                    "strict decoding error: unknown field \"spec.managers.replica\""),
            new Case(
                    "negative replicas",
                    VALID.replace("replicas: 3", "replicas: -1"),
                    "spec.managers.replicas",
                    "below the minimum of 0",
                    Server.REJECTS,
                    "spec.managers.replicas: Invalid value: -1: spec.managers.replicas in body "
                            + "should be greater than or equal to 0"),
            new Case(
                    "bad quantity",
                    VALID.replace("memoryLimit: 2Gi", "memoryLimit: 2Gx"),
                    "spec.executor.build.memoryLimit",
                    "Kubernetes quantity",
                    Server.REJECTS,
                    "spec.executor.build.memoryLimit: Invalid value: \"2Gx\": "
                            + "spec.executor.build.memoryLimit in body should match '^("),
            new Case(
                    "bad nameserver",
                    VALID.replace("[10.0.0.2]", "[10.0.0.300]"),
                    "spec.executor.dns.nameservers[0]",
                    "IPv4 or IPv6 address",
                    Server.REJECTS,
                    "spec.executor.dns.nameservers[0]: Invalid value: \"10.0.0.300\": "
                            + "spec.executor.dns.nameservers[0] in body should match '^((25[0-5]"),
            new Case(
                    "four nameservers",
                    VALID.replace("[10.0.0.2]", "[10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5]"),
                    "spec.executor.dns.nameservers",
                    "at most 3 allowed",
                    Server.REJECTS,
                    "spec.executor.dns.nameservers: Too many: 4: must have at most 3 items"),
            new Case(
                    "policy None without nameservers",
                    VALID.replace("nameservers: [10.0.0.2]", "searches: [svc.cluster.local]"),
                    "spec.executor.dns",
                    "dns.policy None needs at least one entry in dns.nameservers",
                    Server.REJECTS,
                    "spec.executor.dns: Invalid value: \"object\": "
                            + "dns.policy None needs at least one entry in dns.nameservers"),
            new Case(
                    "request above limit",
                    VALID.replace("cpuLimit: \"2\"", "cpuLimit: \"2\", cpuRequest: \"3\""),
                    "spec.executor.build.cpuRequest",
                    "above spec.executor.build.cpuLimit",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "namespace overwrite listing a name that is no namespace",
                    VALID.replace("    build: {", "    namespaceOverwrite: {allowed: [ci-a, CI_B]}\n    build: {"),
                    "spec.executor.namespaceOverwrite.allowed[1]",
                    "\"CI_B\" is not a namespace name",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "namespace overwrite pattern that does not compile",
                    VALID.replace(
                            "    build: {", "    namespaceOverwrite: {allowed: [ci-a], pattern: 'ci-('}\n    build: {"),
                    "spec.executor.namespaceOverwrite.pattern",
                    "is not a regular expression",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "privileged but no privilege escalation",
                    VALID.replace(
                            "    build: {",
                            "    privileged: true\n    buildSecurityContext: "
                                    + "{allowPrivilegeEscalation: false}\n    build: {"),
                    "spec.executor.buildSecurityContext.allowPrivilegeEscalation",
                    "cannot go with a privileged container",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "missing gitlab url",
                    VALID.replace("url: http://gitlab.example.com/\n", ""),
                    "spec.gitlab.url",
                    "is required",
                    Server.REJECTS,
                    "spec.gitlab.url: Required value"),
            new Case(
                    "number where a string belongs",
                    VALID.replace("cpuLimit: \"2\"", "cpuLimit: [2]"),
                    "spec.executor.build.cpuLimit",
                    "expected a string",
                    Server.REJECTS,
                    "spec.executor.build.cpuLimit: Invalid value: \"array\": "
                            + "spec.executor.build.cpuLimit in body must be of type string: \"array\""),
            new Case(
                    "replicas as a word",
                    VALID.replace("replicas: 3", "replicas: three"),
                    "spec.managers.replicas",
                    "expected an integer, got the string \"three\"",
                    Server.REJECTS,
                    "must be of type integer"),
            new Case(
                    "fractional replicas",
                    VALID.replace("replicas: 3", "replicas: 1.5"),
                    "spec.managers.replicas",
                    "expected an integer, got 1.5",
                    Server.REJECTS,
                    "must be of type integer"),
            new Case(
                    "concurrent zero",
                    VALID.replace("concurrent: 10", "concurrent: 0"),
                    "spec.managers.concurrent",
                    "below the minimum of 1",
                    Server.REJECTS,
                    "should be greater than or equal to 1"),
            new Case(
                    "concurrent above 1000",
                    VALID.replace("concurrent: 10", "concurrent: 5000"),
                    "spec.managers.concurrent",
                    "above the maximum of 1000",
                    Server.REJECTS,
                    "should be less than or equal to 1000"),
            new Case(
                    "checkInterval without a unit",
                    managers("checkInterval: \"30\""),
                    "spec.managers.checkInterval",
                    "is not a duration; expected e.g. 3s",
                    Server.REJECTS,
                    "should match '^("),
            new Case(
                    "shutdownTimeout in minutes spelt out",
                    managers("shutdownTimeout: 5min"),
                    "spec.managers.shutdownTimeout",
                    "is not a duration",
                    Server.REJECTS,
                    "should match '^("),
            new Case(
                    "negative unhealthyInterval",
                    runner("unhealthyInterval: -1h"),
                    "spec.runner.unhealthyInterval",
                    "is not a duration",
                    Server.REJECTS,
                    "should match '^("),
            new Case(
                    "cpuRequest with a memory unit",
                    VALID.replace("cpuLimit: \"2\"", "cpuLimit: \"2\", cpuRequest: 500mi"),
                    "spec.executor.build.cpuRequest",
                    "\"500mi\" is not a Kubernetes quantity",
                    Server.REJECTS,
                    "should match '^("),
            new Case(
                    "emptyDir sizeLimit in GB",
                    executor("volumes: {emptyDir: [{name: scratch, mountPath: /scratch, sizeLimit: 1GB}]}"),
                    "spec.executor.volumes.emptyDir[0].sizeLimit",
                    "is not a Kubernetes quantity",
                    Server.REJECTS,
                    "should match '^("),
            new Case(
                    "unknown dns policy",
                    VALID.replace("policy: None", "policy: Cluster"),
                    "spec.executor.dns.policy",
                    "expected one of ClusterFirst, ClusterFirstWithHostNet, Default, None",
                    Server.REJECTS,
                    "Unsupported value: \"Cluster\""),
            new Case(
                    "search domain starting with a dash",
                    VALID.replace(
                            "nameservers: [10.0.0.2]", "nameservers: [10.0.0.2]\n      searches: [\"-bad.example\"]"),
                    "spec.executor.dns.searches[0]",
                    "is not a DNS search domain",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "dns option without a name",
                    VALID.replace(
                            "nameservers: [10.0.0.2]", "nameservers: [10.0.0.2]\n      options: [{value: \"2\"}]"),
                    "spec.executor.dns.options[0].name",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "Kubernetes pull policy spelling",
                    executor("pullPolicy: [IfNotPresent]"),
                    "spec.executor.pullPolicy[0]",
                    "expected one of always, if-not-present, never",
                    Server.REJECTS,
                    "Unsupported value: \"IfNotPresent\""),
            new Case(
                    "pull policy outside the allowed ones",
                    executor("pullPolicy: [always]\n    allowedPullPolicies: [never]"),
                    "spec.executor",
                    "executor.pullPolicy must include at least one of executor.allowedPullPolicies",
                    Server.REJECTS,
                    "executor.pullPolicy must include at least one of executor.allowedPullPolicies"),
            new Case(
                    "unknown sidecar mode",
                    executor("sidecarMode: sidecar"),
                    "spec.executor.sidecarMode",
                    "expected one of containers, native",
                    Server.REJECTS,
                    "Unsupported value: \"sidecar\""),
            new Case(
                    "negative runAsUser",
                    executor("podSecurityContext: {runAsUser: -1}"),
                    "spec.executor.podSecurityContext.runAsUser",
                    "below the minimum of 0",
                    Server.REJECTS,
                    "should be greater than or equal to 0"),
            new Case(
                    "seccomp profile without a type",
                    executor("podSecurityContext: {seccompProfile: {localhostProfile: my.json}}"),
                    "spec.executor.podSecurityContext.seccompProfile.type",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "unknown seccomp type",
                    executor("buildSecurityContext: {seccompProfile: {type: Default}}"),
                    "spec.executor.buildSecurityContext.seccompProfile.type",
                    "expected one of Localhost, RuntimeDefault, Unconfined",
                    Server.REJECTS,
                    "Unsupported value: \"Default\""),
            new Case(
                    "toleration Exists with a value",
                    executor("tolerations: [{key: gpu, operator: Exists, value: \"true\"}]"),
                    "spec.executor.tolerations[0]",
                    "a toleration with operator Exists takes no value",
                    Server.REJECTS,
                    "a toleration with operator Exists takes no value"),
            new Case(
                    "unknown toleration effect",
                    executor("tolerations: [{key: gpu, operator: Equal, value: x, effect: NoRun}]"),
                    "spec.executor.tolerations[0].effect",
                    "expected one of NoExecute, NoSchedule, PreferNoSchedule",
                    Server.REJECTS,
                    "Unsupported value: \"NoRun\""),
            new Case(
                    "upper-case executor namespace",
                    executor("namespace: Build_Jobs"),
                    "spec.executor.namespace",
                    "is not a DNS-1123 label",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "upper-case service account",
                    executor("serviceAccountName: Builder"),
                    "spec.executor.serviceAccountName",
                    "is not a DNS-1123 name",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "priority class with an underscore",
                    executor("priorityClassName: High_Priority"),
                    "spec.executor.priorityClassName",
                    "is not a DNS-1123 name",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "image pull secret with an underscore",
                    executor("imagePullSecrets: [My_Secret]"),
                    "spec.executor.imagePullSecrets[0]",
                    "is not a DNS-1123 name",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "allowed user by name",
                    executor("allowedUsers: [root]"),
                    "spec.executor.allowedUsers[0]",
                    "it must match ^[0-9]+$",
                    Server.REJECTS,
                    "should match '^[0-9]+$'"),
            new Case(
                    "host alias with a bad address",
                    executor("hostAliases: [{ip: 10.0.0.256, hostnames: [db]}]"),
                    "spec.executor.hostAliases[0].ip",
                    "is not an IPv4 or IPv6 address",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "host alias without hostnames",
                    executor("hostAliases: [{ip: 10.0.0.5, hostnames: []}]"),
                    "spec.executor.hostAliases[0].hostnames",
                    "at least 1 expected",
                    Server.REJECTS,
                    "should have at least 1 items"),
            new Case(
                    "relative volume mountPath",
                    executor("volumes: {emptyDir: [{name: scratch, mountPath: scratch}]}"),
                    "spec.executor.volumes.emptyDir[0].mountPath",
                    "is not an absolute path",
                    Server.REJECTS,
                    "should match '^/.*$'"),
            new Case(
                    "volume name with capitals",
                    executor("volumes: {emptyDir: [{name: Scratch_Dir, mountPath: /scratch}]}"),
                    "spec.executor.volumes.emptyDir[0].name",
                    "is not a DNS-1123 label",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "hostPath volume without mountPath",
                    executor("volumes: {hostPath: [{name: docker, hostPath: /var/run/docker.sock}]}"),
                    "spec.executor.volumes.hostPath[0].mountPath",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "unknown mountPropagation",
                    executor("volumes: {emptyDir: [{name: scratch, mountPath: /scratch, mountPropagation: Shared}]}"),
                    "spec.executor.volumes.emptyDir[0].mountPropagation",
                    "expected one of Bidirectional, HostToContainer, None",
                    Server.REJECTS,
                    "Unsupported value: \"Shared\""),
            new Case(
                    "nfs volume without a server",
                    executor("volumes: {nfs: [{name: share, mountPath: /share, path: /export}]}"),
                    "spec.executor.volumes.nfs[0].server",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "gitlab url without a scheme",
                    VALID.replace("url: http://gitlab.example.com/", "url: gitlab.example.com"),
                    "spec.gitlab.url",
                    "is not an http(s) URL",
                    Server.REJECTS,
                    "should match '^https?://"),
            new Case(
                    "token Secret name with capitals",
                    VALID.replace(
                            "tokenSecretRef: {name: build-fleet-token}", "tokenSecretRef: {name: Build-Fleet-Token}"),
                    "spec.gitlab.tokenSecretRef.name",
                    "is not a DNS-1123 name",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "token Secret ref without a name",
                    VALID.replace("tokenSecretRef: {name: build-fleet-token}", "tokenSecretRef: {key: token}"),
                    "spec.gitlab.tokenSecretRef.name",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "tlsCa naming a Secret and a ConfigMap",
                    gitlab("tlsCa: {secretName: ca, configMapName: ca}"),
                    "spec.gitlab.tlsCa",
                    "name either secretName or configMapName, not both",
                    Server.REJECTS,
                    "name either secretName or configMapName, not both"),
            new Case(
                    "tokenRotation before without a unit",
                    gitlab("tokenRotation: {before: \"72\"}"),
                    "spec.gitlab.tokenRotation.before",
                    "is not a duration",
                    Server.REJECTS,
                    "should match '^("),
            new Case(
                    "tokenRotation before 0s",
                    gitlab("tokenRotation: {before: 0s}"),
                    "spec.gitlab.tokenRotation.before",
                    "must be more than 0s",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "disruption maxWait without a unit",
                    executor("disruption: {maxWait: \"2\"}"),
                    "spec.executor.disruption.maxWait",
                    "is not a duration",
                    Server.REJECTS,
                    "should match '^("),
            new Case(
                    "disruption maxWait 0s",
                    executor("disruption: {maxWait: 0s}"),
                    "spec.executor.disruption.maxWait",
                    "must be more than 0s",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "tlsCa naming neither",
                    gitlab("tlsCa: {key: ca.crt}"),
                    "spec.gitlab.tlsCa",
                    "name either secretName or configMapName, not both",
                    Server.REJECTS,
                    "name either secretName or configMapName, not both"),
            new Case(
                    "tlsCa Secret name with an underscore",
                    gitlab("tlsCa: {secretName: My_CA}"),
                    "spec.gitlab.tlsCa.secretName",
                    "is not a DNS-1123 name",
                    Server.REJECTS,
                    "should match '^"),
            new Case(
                    "cache without a type",
                    runner("cache: {shared: true}"),
                    "spec.runner.cache.type",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "unknown cache type",
                    runner("cache: {type: minio}"),
                    "spec.runner.cache.type",
                    "expected one of azure, gcs, s3",
                    Server.REJECTS,
                    "Unsupported value: \"minio\""),
            new Case(
                    "s3 cache without a bucket",
                    runner("cache: {type: s3, s3: {credentialsSecret: cache-keys}}"),
                    "spec.runner.cache.s3.bucketName",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "negative maxUploadedArchiveSize",
                    runner("cache: {type: s3, maxUploadedArchiveSize: -1, s3: {bucketName: b, credentialsSecret: k}}"),
                    "spec.runner.cache.maxUploadedArchiveSize",
                    "below the minimum of 0",
                    Server.REJECTS,
                    "should be greater than or equal to 0"),
            new Case(
                    "runner environment entry without '='",
                    runner("environment: [DEBUG]"),
                    "spec.runner.environment[0]",
                    "is not a KEY=value entry",
                    Server.REJECTS,
                    "should match '^[A-Za-z_]"),
            new Case(
                    "feature flag that is not a boolean",
                    runner("featureFlags: {FF_USE_FASTZIP: yes-please}"),
                    "spec.runner.featureFlags.FF_USE_FASTZIP",
                    "expected true or false",
                    Server.REJECTS,
                    "must be of type boolean"),
            new Case(
                    "clone url in scp form",
                    runner("cloneUrl: \"git@gitlab:group/app.git\""),
                    "spec.runner.cloneUrl",
                    "is not an http(s) URL",
                    Server.REJECTS,
                    "should match '^https?://"),
            new Case(
                    "outputLimit zero",
                    runner("outputLimit: 0"),
                    "spec.runner.outputLimit",
                    "below the minimum of 1",
                    Server.REJECTS,
                    "should be greater than or equal to 1"),
            new Case(
                    "requestConcurrency zero",
                    runner("requestConcurrency: 0"),
                    "spec.runner.requestConcurrency",
                    "below the minimum of 1",
                    Server.REJECTS,
                    "should be greater than or equal to 1"),
            new Case(
                    "negative runner limit",
                    runner("limit: -2"),
                    "spec.runner.limit",
                    "below the minimum of 0",
                    Server.REJECTS,
                    "should be greater than or equal to 0"),
            new Case(
                    "pod-level ephemeral storage",
                    executor("pod: {ephemeralStorageLimit: 1Gi}"),
                    "spec.executor",
                    "pod-level resources take cpu and memory only",
                    Server.REJECTS,
                    "pod-level resources take cpu and memory only"),
            new Case(
                    "pod_spec patch without a name",
                    executor("podSpec: [{patch: \"{}\"}]"),
                    "spec.executor.podSpec[0].name",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "unknown pod_spec patch type",
                    executor("podSpec: [{name: p, patch: \"{}\", patchType: yaml}]"),
                    "spec.executor.podSpec[0].patchType",
                    "it must match ^(strategic|json|merge)$",
                    Server.REJECTS,
                    "should match '^(strategic|json|merge)$'"),
            new Case(
                    "service without a name",
                    executor("services: [{alias: db}]"),
                    "spec.executor.services[0].name",
                    "is required",
                    Server.REJECTS,
                    "Required value"),
            new Case(
                    "service environment with a space in the key",
                    executor("services: [{name: postgres, environment: [\"POSTGRES PASSWORD=x\"]}]"),
                    "spec.executor.services[0].environment[0]",
                    "is not a KEY=value entry",
                    Server.REJECTS,
                    "should match '^[A-Za-z_]"),
            new Case(
                    "pollTimeout zero",
                    executor("pollTimeout: 0"),
                    "spec.executor.pollTimeout",
                    "below the minimum of 1",
                    Server.REJECTS,
                    "should be greater than or equal to 1"),
            new Case(
                    "negative termination grace period",
                    executor("podTerminationGracePeriodSeconds: -5"),
                    "spec.executor.podTerminationGracePeriodSeconds",
                    "below the minimum of 0",
                    Server.REJECTS,
                    "should be greater than or equal to 0"),
            new Case(
                    "privileged as the word yes",
                    executor("privileged: \"yes\""),
                    "spec.executor.privileged",
                    "expected true or false, got the string \"yes\"",
                    Server.REJECTS,
                    "must be of type boolean"),
            new Case(
                    "executor as a list",
                    VALID.replace(
                            "    build: {cpuLimit: \"2\", memoryLimit: 2Gi}\n    dns:\n      policy: None\n      nameservers: [10.0.0.2]\n",
                            "    - build\n"),
                    "spec.executor",
                    "expected an object (a map of fields), got a list",
                    Server.REJECTS,
                    "must be of type object"),
            new Case(
                    "manager request above its limit",
                    managers("resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}"),
                    "spec.managers.resources.requests.memory",
                    "2Gi is above spec.managers.resources.limits.memory (1Gi)",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "manager memory limit that is not a quantity",
                    managers("resources: {limits: {memory: lots}}"),
                    "spec.managers.resources.limits.memory",
                    "\"lots\" is not a Kubernetes quantity",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "manager nodeSelector key with a space",
                    managers("nodeSelector: {\"node role\": ci}"),
                    "spec.managers.nodeSelector",
                    "\"node role\" is not a valid label key",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "helper request above its limit",
                    executor("helper: {memoryRequest: 1Gi, memoryLimit: 512Mi}"),
                    "spec.executor.helper.memoryRequest",
                    "1Gi is above spec.executor.helper.memoryLimit (512Mi)",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "pod-level request above its limit",
                    executor("pod: {cpuRequest: \"4\", cpuLimit: \"2\"}"),
                    "spec.executor.pod.cpuRequest",
                    "4 is above spec.executor.pod.cpuLimit (2)",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "privileged helper without privilege escalation",
                    executor("helperSecurityContext: {privileged: true, allowPrivilegeEscalation: false}"),
                    "spec.executor.helperSecurityContext.allowPrivilegeEscalation",
                    "cannot go with a privileged container",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "pod label key starting with a dash",
                    executor("podLabels: {\"-team\": ci}"),
                    "spec.executor.podLabels",
                    "\"-team\" is not a valid label key",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "pod label value with spaces",
                    executor("podLabels: {team: \"has spaces\"}"),
                    "spec.executor.podLabels.team",
                    "\"has spaces\" is not a label value",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "pod annotation key with two slashes",
                    executor("podAnnotations: {\"a/b/c\": x}"),
                    "spec.executor.podAnnotations",
                    "\"a/b/c\" is not a valid annotation key",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "nodeSelector key with a '!'",
                    executor("nodeSelector: {\"bad key!\": x}"),
                    "spec.executor.nodeSelector",
                    "\"bad key!\" is not a valid label key",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "nodeSelector value longer than 63",
                    executor(
                            "nodeSelector: {pool: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"),
                    "spec.executor.nodeSelector.pool",
                    "is not a label value",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "two volumes of one name",
                    executor(
                            "volumes: {emptyDir: [{name: scratch, mountPath: /a}], pvc: [{name: scratch, mountPath: /b}]}"),
                    "spec.executor.volumes.emptyDir[0].name",
                    "\"scratch\" is already the name of spec.executor.volumes.pvc[0]",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "two volumes at one mountPath",
                    executor("volumes: {emptyDir: [{name: a, mountPath: /data}, {name: b, mountPath: /data/}]}"),
                    "spec.executor.volumes.emptyDir[1].mountPath",
                    "is already where spec.executor.volumes.emptyDir[0] is mounted",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "token key with a slash",
                    VALID.replace(
                            "tokenSecretRef: {name: build-fleet-token}",
                            "tokenSecretRef: {name: build-fleet-token, key: a/token}"),
                    "spec.gitlab.tokenSecretRef.key",
                    "\"a/token\" can never be a Secret's key",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "Localhost seccomp without a profile",
                    executor("podSecurityContext: {seccompProfile: {type: Localhost}}"),
                    "spec.executor.podSecurityContext.seccompProfile.localhostProfile",
                    "is required with type Localhost",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "Localhost AppArmor without a profile",
                    executor("buildSecurityContext: {appArmorProfile: {type: Localhost}}"),
                    "spec.executor.buildSecurityContext.appArmorProfile.localhostProfile",
                    "is required with type Localhost",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "s3 cache without its table",
                    runner("cache: {type: s3}"),
                    "spec.runner.cache.s3",
                    "is required for type s3",
                    Server.ACCEPTS,
                    null),
            new Case(
                    "gcs cache (not supported yet)",
                    runner("cache: {type: gcs, gcs: {bucketName: b}}"),
                    "spec.runner.cache.type",
                    "cache type gcs is not supported yet",
                    Server.ACCEPTS,
                    null));

    private BadFleets() {}

    /** The valid fleet with one more line under {@code spec.executor}. */
    private static String executor(String line) {
        return under("  executor:\n", line);
    }

    private static String managers(String line) {
        return under("  managers:\n", line);
    }

    private static String gitlab(String line) {
        return under("  gitlab:\n", line);
    }

    /** The valid fleet with a {@code spec.runner} section holding one line. */
    private static String runner(String line) {
        return VALID.replace("  executor:\n", "  runner:\n    " + line + "\n  executor:\n");
    }

    private static String under(String section, String line) {
        return VALID.replace(section, section + "    " + line + "\n");
    }

    /** Every case, as (name, yaml, field, offline message): BadInputTest's arguments. */
    public static Stream<Arguments> offline() {
        return CASES.stream().map(c -> Arguments.of(c.name(), c.yaml(), c.field(), c.offline()));
    }

    /** The cases that are RunnerFleets, which the API server can be asked about. */
    public static Stream<Case> fleets() {
        return CASES.stream().filter(c -> c.server() != Server.NOT_A_FLEET);
    }
}
