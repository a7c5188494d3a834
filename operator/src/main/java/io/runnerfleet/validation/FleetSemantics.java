package io.runnerfleet.validation;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runnerfleet.api.v1alpha1.ContainerResources;
import io.runnerfleet.api.v1alpha1.ContainerSecurityContextSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.GitLabSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.RunnerFleetSpec;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.base.NamespaceOverwriteRules;
import io.runnerfleet.yaml.Yaml;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks that the schema cannot express: a request above its limit, a fleet name too long for the names derived
 * from it, an affinity that is not a Kubernetes affinity, and Kubernetes' pod rules ({@link PodFieldSemantics}). Used by {@code render} and by the operator, which puts
 * the result into a condition instead of touching any dependent.
 */
public final class FleetSemantics {
    /** {@code <name>-manager-leases} and {@code <name>-metrics} (a DNS-1035 Service name) must stay within 63. */
    public static final int MAX_NAME_LENGTH = 47;

    private FleetSemantics() {}

    public static List<FieldProblem> check(RunnerFleet fleet) {
        List<FieldProblem> problems = new ArrayList<>();
        String name = fleet.getMetadata() == null ? null : fleet.getMetadata().getName();
        if (name == null || name.isBlank()) {
            problems.add(new FieldProblem("metadata.name", "is required"));
        } else if (name.length() > MAX_NAME_LENGTH || !name.matches("^[a-z]([-a-z0-9]*[a-z0-9])?$")) {
            problems.add(new FieldProblem(
                    "metadata.name",
                    "\"" + name + "\" must be at most " + MAX_NAME_LENGTH
                            + " characters of lower-case letters, digits and '-', starting with a letter, because the "
                            + "fleet's Service and Role names are derived from it"));
        }
        RunnerFleetSpec spec = fleet.getSpec();
        if (spec == null) {
            problems.add(new FieldProblem("spec", "is required"));
            return problems;
        }
        checkRequestsWithinLimits(spec.executor().build(), "spec.executor.build", problems);
        checkRequestsWithinLimits(spec.executor().helper(), "spec.executor.helper", problems);
        checkRequestsWithinLimits(spec.executor().service(), "spec.executor.service", problems);
        checkRequestsWithinLimits(spec.executor().pod(), "spec.executor.pod", problems);
        PodFieldSemantics.checkManagers(spec.managers(), problems);
        boolean managerQuantities = PodFieldSemantics.quantitiesValid(
                        spec.managers().resources().requests())
                && PodFieldSemantics.quantitiesValid(spec.managers().resources().limits());
        for (String resource :
                managerQuantities ? spec.managers().resources().requests().keySet() : Set.<String>of()) {
            checkPair(
                    spec.managers().resources().requests().get(resource),
                    spec.managers().resources().limits().get(resource),
                    "spec.managers.resources.requests." + resource,
                    "spec.managers.resources.limits." + resource,
                    problems);
        }
        checkPrivilegeEscalation(spec.executor(), problems);
        problems.addAll(NamespaceOverwriteRules.check(
                spec.executor().namespaceOverwrite(),
                "spec.executor.namespaceOverwrite.allowed",
                "spec.executor.namespaceOverwrite.pattern"));
        PodFieldSemantics.checkExecutor(spec.executor(), problems);
        if (spec.gitlab() != null && spec.gitlab().tokenSecretRef() != null) {
            PodFieldSemantics.checkTokenKey(spec.gitlab().tokenSecretRef().key(), problems);
        }
        checkTokenRotation(spec.gitlab(), problems);
        checkDisruptionMaxWait(spec.executor(), problems);
        checkCache(spec.runner().cache(), problems);
        WarmCapacitySemantics.check(spec.warmCapacity(), problems);
        if (spec.executor().affinity() != null) {
            try {
                Yaml.STRICT_MAPPER.convertValue(spec.executor().affinity(), Affinity.class);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem(
                        "spec.executor.affinity", "is not a Kubernetes affinity: " + firstLine(e.getMessage())));
            }
        }
        return problems;
    }

    /**
     * The API server refuses a container that is privileged but forbids privilege escalation, so every Job Pod of
     * such a fleet would be refused; say so before any job runs.
     */
    private static void checkPrivilegeEscalation(ExecutorSpec executor, List<FieldProblem> problems) {
        Map<String, ContainerSecurityContextSpec> contexts = new LinkedHashMap<>();
        contexts.put("buildSecurityContext", executor.buildSecurityContext());
        contexts.put("helperSecurityContext", executor.helperSecurityContext());
        contexts.put("serviceSecurityContext", executor.serviceSecurityContext());
        contexts.forEach((name, context) -> {
            // The container's value wins over the executor's allowPrivilegeEscalation (SecurityContexts).
            boolean ownEscalation = context != null && context.allowPrivilegeEscalation() != null;
            Boolean escalation =
                    ownEscalation ? context.allowPrivilegeEscalation() : executor.allowPrivilegeEscalation();
            if (!Boolean.FALSE.equals(escalation)) {
                return;
            }
            boolean privileged =
                    context != null && context.privileged() != null ? context.privileged() : executor.privileged();
            if (privileged) {
                FieldProblem problem = new FieldProblem(
                        ownEscalation
                                ? "spec.executor." + name + ".allowPrivilegeEscalation"
                                : "spec.executor.allowPrivilegeEscalation",
                        "false cannot go with a privileged container ("
                                + (context != null && context.privileged() != null
                                        ? "spec.executor." + name + ".privileged"
                                        : "spec.executor.privileged")
                                + " is true); Kubernetes refuses such a pod. Remove one of the two");
                if (!problems.contains(problem)) {
                    problems.add(problem);
                }
            }
        });
    }

    private static void checkRequestsWithinLimits(
            ContainerResources resources, String path, List<FieldProblem> problems) {
        pair(resources, ContainerResources::cpuRequest, ContainerResources::cpuLimit, path, "cpu", problems);
        pair(resources, ContainerResources::memoryRequest, ContainerResources::memoryLimit, path, "memory", problems);
        pair(
                resources,
                ContainerResources::ephemeralStorageRequest,
                ContainerResources::ephemeralStorageLimit,
                path,
                "ephemeralStorage",
                problems);
    }

    private static void pair(
            ContainerResources resources,
            Function<ContainerResources, String> request,
            Function<ContainerResources, String> limit,
            String path,
            String name,
            List<FieldProblem> problems) {
        checkPair(
                request.apply(resources),
                limit.apply(resources),
                path + "." + name + "Request",
                path + "." + name + "Limit",
                problems);
    }

    private static void checkPair(
            String request, String limit, String requestPath, String limitPath, List<FieldProblem> problems) {
        if (request == null || limit == null) {
            return;
        }
        BigDecimal requested = Quantity.getAmountInBytes(new Quantity(request));
        BigDecimal limited = Quantity.getAmountInBytes(new Quantity(limit));
        if (requested.compareTo(limited) > 0) {
            problems.add(new FieldProblem(
                    requestPath,
                    request + " is above " + limitPath + " (" + limit
                            + "); Kubernetes rejects such a pod. Lower the request or raise the limit"));
        }
    }

    /** A zero {@code before} would rotate only once GitLab already refuses the token: too late to rotate at all. */
    private static void checkTokenRotation(GitLabSpec gitlab, List<FieldProblem> problems) {
        if (gitlab == null
                || gitlab.tokenRotation() == null
                || gitlab.tokenRotation().before() == null) {
            return;
        }
        try {
            if (GoDurations.parse(gitlab.tokenRotation().before()).isZero()) {
                problems.add(new FieldProblem(
                        "spec.gitlab.tokenRotation.before",
                        "must be more than 0s, e.g. 72h: the token is rotated that long before GitLab stops"
                                + " accepting it"));
            }
        } catch (IllegalArgumentException e) {
            // Not a duration at all: the schema's pattern reports it.
        }
    }

    /** A zero maxWait would release each Job Pod as it starts: protection in name only. */
    private static void checkDisruptionMaxWait(ExecutorSpec executor, List<FieldProblem> problems) {
        String maxWait = executor.disruptionOrDefaults().maxWait();
        if (maxWait == null) {
            return;
        }
        try {
            if (GoDurations.parse(maxWait).isZero()) {
                problems.add(new FieldProblem(
                        "spec.executor.disruption.maxWait",
                        "must be more than 0s, e.g. 2h (how long a drain waits for a running job); to let drains evict "
                                + "Job Pods at once, set spec.executor.disruption.protect: false"));
            }
        } catch (IllegalArgumentException e) {
            // Not a duration at all: the schema's pattern reports it.
        }
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    /** gitlab-runner's gcs and azure adapters have no counterpart yet; s3 needs its table. */
    private static void checkCache(io.runnerfleet.api.v1alpha1.CacheSpec cache, List<FieldProblem> problems) {
        if (cache == null || cache.type() == null) {
            return;
        }
        switch (cache.type()) {
            case S3 -> {
                if (cache.s3() == null) {
                    problems.add(new FieldProblem(
                            "spec.runner.cache.s3",
                            "is required for type s3; set bucketName and credentialsSecret (and serverAddress "
                                    + "unless the bucket is on AWS)"));
                }
            }
            case GCS, AZURE ->
                problems.add(new FieldProblem(
                        "spec.runner.cache.type",
                        "cache type " + cache.type().value() + " is not supported yet; use s3 or remove "
                                + "spec.runner.cache"));
        }
    }
}
