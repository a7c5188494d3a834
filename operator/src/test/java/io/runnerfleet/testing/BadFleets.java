package io.runnerfleet.testing;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The Foundation's bad-input list: fleets that {@code render} must refuse (exit 2, naming the file and the field).
 * One table for two judges: {@code BadInputTest} checks the offline verdict and message of every case, and
 * {@code BadFleetsOnRealApiServerTest} posts the same files to a real API server with the committed CRD, which
 * must reject each case the CRD's schema or CEL rules can express, naming the same field.
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
                            + "spec.executor.build.cpuLimit in body must be of type string: \"array\""));

    private BadFleets() {}

    /** Every case, as (name, yaml, field, offline message): BadInputTest's arguments. */
    public static Stream<Arguments> offline() {
        return CASES.stream().map(c -> Arguments.of(c.name(), c.yaml(), c.field(), c.offline()));
    }

    /** The cases that are RunnerFleets, which the API server can be asked about. */
    public static Stream<Case> fleets() {
        return CASES.stream().filter(c -> c.server() != Server.NOT_A_FLEET);
    }
}
