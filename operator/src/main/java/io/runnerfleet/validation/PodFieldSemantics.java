package io.runnerfleet.validation;

import io.runnerfleet.api.v1alpha1.AppArmorProfile;
import io.runnerfleet.api.v1alpha1.ContainerSecurityContextSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.ManagersSpec;
import io.runnerfleet.api.v1alpha1.Patterns;
import io.runnerfleet.api.v1alpha1.SeccompProfile;
import io.runnerfleet.api.v1alpha1.VolumesSpec;
import io.runnerfleet.base.FieldProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules of Kubernetes' pod validation that the CRD's schema does not carry (keys of free-form maps, pairs of fields,
 * uniqueness across lists). The API server stores such a fleet; every Job Pod or manager Deployment made from it
 * would be refused, so the operator reports the field instead (the rules are those of
 * {@code k8s.io/apimachinery/pkg/util/validation} and {@code pkg/apis/core/validation}).
 */
final class PodFieldSemantics {
    /** A label or annotation key's name part: 63 characters at most, alphanumeric at both ends. */
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private static final Pattern PREFIX = Pattern.compile(Patterns.DNS1123_SUBDOMAIN);
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern QUANTITY = Pattern.compile(Patterns.QUANTITY);

    private PodFieldSemantics() {}

    static void checkExecutor(ExecutorSpec executor, List<FieldProblem> problems) {
        labels(executor.podLabels(), "spec.executor.podLabels", problems);
        keys(executor.podAnnotations(), "spec.executor.podAnnotations", "annotation", problems);
        labels(executor.nodeSelector(), "spec.executor.nodeSelector", problems);
        volumes(executor.volumes(), problems);
        if (executor.podSecurityContext() != null) {
            seccomp(executor.podSecurityContext().seccompProfile(), "spec.executor.podSecurityContext", problems);
        }
        Map<String, ContainerSecurityContextSpec> contexts = new LinkedHashMap<>();
        contexts.put("buildSecurityContext", executor.buildSecurityContext());
        contexts.put("helperSecurityContext", executor.helperSecurityContext());
        contexts.put("serviceSecurityContext", executor.serviceSecurityContext());
        contexts.forEach((name, context) -> {
            if (context != null) {
                seccomp(context.seccompProfile(), "spec.executor." + name, problems);
                appArmor(context.appArmorProfile(), "spec.executor." + name, problems);
            }
        });
    }

    static void checkManagers(ManagersSpec managers, List<FieldProblem> problems) {
        labels(managers.nodeSelector(), "spec.managers.nodeSelector", problems);
        quantities(managers.resources().limits(), "spec.managers.resources.limits", problems);
        quantities(managers.resources().requests(), "spec.managers.resources.requests", problems);
    }

    /** A Secret's keys are limited to these characters, so a key with any other can never be found. */
    static void checkTokenKey(String key, List<FieldProblem> problems) {
        if (key != null && !SECRET_KEY.matcher(key).matches()) {
            problems.add(new FieldProblem(
                    "spec.gitlab.tokenSecretRef.key",
                    "\"" + key + "\" can never be a Secret's key: expected letters, digits, '-', '_' and '.' "
                            + "(e.g. token)"));
        }
    }

    /** Whether every manager resource names a quantity (checked before requests are compared with limits). */
    static boolean quantitiesValid(Map<String, String> values) {
        return values.values().stream()
                .allMatch(v -> v != null && QUANTITY.matcher(v).matches());
    }

    private static void quantities(Map<String, String> values, String path, List<FieldProblem> problems) {
        values.forEach((resource, value) -> {
            if (value == null || !QUANTITY.matcher(value).matches()) {
                problems.add(new FieldProblem(
                        path + "." + resource,
                        "\"" + value + "\" is not a Kubernetes quantity; expected e.g. 500m, 2, 512Mi or 2Gi"));
            }
        });
    }

    private static void labels(Map<String, String> labels, String path, List<FieldProblem> problems) {
        keys(labels, path, "label", problems);
        labels.forEach((key, value) -> {
            // A value with $VAR is expanded against each job's variables (gitlab-runner's pod_labels): judged then.
            if (value != null && !value.isEmpty() && !value.contains("$") && !isQualifiedName(value)) {
                problems.add(new FieldProblem(
                        path + "." + key,
                        "\"" + value + "\" is not a label value: at most 63 letters, digits, '-', '_' and '.', "
                                + "starting and ending with a letter or digit"));
            }
        });
    }

    private static void keys(Map<String, String> map, String path, String what, List<FieldProblem> problems) {
        for (String key : map.keySet()) {
            if (!isQualifiedKey(key)) {
                problems.add(new FieldProblem(
                        path,
                        "\"" + key + "\" is not a valid " + what + " key: expected an optional DNS-1123 prefix and "
                                + "'/', then at most 63 letters, digits, '-', '_' and '.' starting and ending "
                                + "with a letter or digit (e.g. example.com/team)"));
            }
        }
    }

    private static boolean isQualifiedKey(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return isQualifiedName(key);
        }
        String prefix = key.substring(0, slash);
        return prefix.length() <= 253 && PREFIX.matcher(prefix).matches() && isQualifiedName(key.substring(slash + 1));
    }

    private static boolean isQualifiedName(String name) {
        return name.length() <= 63 && QUALIFIED_NAME.matcher(name).matches();
    }

    /** Kubernetes refuses a pod with two volumes of one name, or two mounts at one path in a container. */
    private static void volumes(VolumesSpec volumes, List<FieldProblem> problems) {
        Map<String, String> names = new HashMap<>();
        Map<String, String> mountPaths = new HashMap<>();
        List<Mount> all = new ArrayList<>();
        volumes.hostPath().forEach(v -> all.add(new Mount("hostPath", v.name(), v.mountPath())));
        volumes.pvc().forEach(v -> all.add(new Mount("pvc", v.name(), v.mountPath())));
        volumes.configMap().forEach(v -> all.add(new Mount("configMap", v.name(), v.mountPath())));
        volumes.secret().forEach(v -> all.add(new Mount("secret", v.name(), v.mountPath())));
        volumes.emptyDir().forEach(v -> all.add(new Mount("emptyDir", v.name(), v.mountPath())));
        volumes.csi().forEach(v -> all.add(new Mount("csi", v.name(), v.mountPath())));
        volumes.nfs().forEach(v -> all.add(new Mount("nfs", v.name(), v.mountPath())));
        Map<String, Integer> indexes = new HashMap<>();
        for (Mount volume : all) {
            int index = indexes.merge(volume.kind(), 1, Integer::sum) - 1;
            String path = "spec.executor.volumes." + volume.kind() + "[" + index + "]";
            String sameName = names.putIfAbsent(volume.name(), path);
            if (sameName != null) {
                problems.add(new FieldProblem(
                        path + ".name",
                        "\"" + volume.name() + "\" is already the name of " + sameName
                                + "; Kubernetes refuses a pod with two volumes of one name. Rename one"));
            }
            String mountPath = volume.mountPath() == null ? null : stripTrailingSlash(volume.mountPath());
            String samePath = mountPath == null ? null : mountPaths.putIfAbsent(mountPath, path);
            if (samePath != null) {
                problems.add(new FieldProblem(
                        path + ".mountPath",
                        "\"" + volume.mountPath() + "\" is already where " + samePath
                                + " is mounted; Kubernetes refuses two mounts at one path. Move one"));
            }
        }
    }

    private record Mount(String kind, String name, String mountPath) {}

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static void seccomp(SeccompProfile profile, String path, List<FieldProblem> problems) {
        if (profile != null
                && profile.type() == SeccompProfile.SeccompType.Localhost
                && isBlank(profile.localhostProfile())) {
            problems.add(new FieldProblem(
                    path + ".seccompProfile.localhostProfile",
                    "is required with type Localhost (the profile's file, relative to the kubelet's seccomp "
                            + "directory); Kubernetes refuses such a pod"));
        }
    }

    private static void appArmor(AppArmorProfile profile, String path, List<FieldProblem> problems) {
        if (profile != null
                && profile.type() == AppArmorProfile.AppArmorType.Localhost
                && isBlank(profile.localhostProfile())) {
            problems.add(new FieldProblem(
                    path + ".appArmorProfile.localhostProfile",
                    "is required with type Localhost (the name of a profile loaded on the node); Kubernetes "
                            + "refuses such a pod"));
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
