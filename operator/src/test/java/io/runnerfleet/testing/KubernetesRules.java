package io.runnerfleet.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API server's own validation rules for what our code generates, because the mock API server checks nothing
 * (docs/versions.md, pitfall 2). Works on any object (names, labels, annotations, Secret and ConfigMap keys);
 * Pods and pod templates (Deployment, StatefulSet, DaemonSet, Job) also get the pod spec rules.
 *
 * <p>Use {@link #assertValid} in every test that builds objects; {@link #violations} to test a rule itself.
 */
public final class KubernetesRules {
    private static final Pattern DNS1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern DNS1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
    private static final Pattern CONFIG_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
    private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");
    private static final Pattern QUANTITY =
            Pattern.compile("^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$");
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
    private static final Set<String> DNS_POLICIES =
            Set.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
    private static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;
    private static final int MAX_SECRET_BYTES = 1024 * 1024;

    private KubernetesRules() {}

    public static void assertValid(HasMetadata... objects) {
        List<String> all = new ArrayList<>();
        for (HasMetadata object : objects) {
            violations(object)
                    .forEach(v -> all.add(
                            object.getKind() + " " + object.getMetadata().getName() + ": " + v));
        }
        if (!all.isEmpty()) {
            throw new AssertionError("the API server would reject this:\n  " + String.join("\n  ", all));
        }
    }

    public static List<String> violations(HasMetadata object) {
        List<String> v = new ArrayList<>();
        metadata(object, v);
        if (object instanceof Pod pod) {
            podSpec(pod.getSpec(), "spec", v);
        } else if (object instanceof Deployment d) {
            template(
                    d.getSpec().getTemplate().getMetadata().getLabels(),
                    d.getSpec().getTemplate().getSpec(),
                    v);
            selectorMatches(
                    d.getSpec().getSelector().getMatchLabels(),
                    d.getSpec().getTemplate().getMetadata().getLabels(),
                    v);
        } else if (object instanceof StatefulSet s) {
            template(
                    s.getSpec().getTemplate().getMetadata().getLabels(),
                    s.getSpec().getTemplate().getSpec(),
                    v);
        } else if (object instanceof DaemonSet d) {
            template(
                    d.getSpec().getTemplate().getMetadata().getLabels(),
                    d.getSpec().getTemplate().getSpec(),
                    v);
        } else if (object instanceof Job j) {
            template(
                    j.getSpec().getTemplate().getMetadata().getLabels(),
                    j.getSpec().getTemplate().getSpec(),
                    v);
        } else if (object instanceof Secret secret) {
            long size = 0;
            for (Map<String, String> data : nonNull(secret.getData(), secret.getStringData())) {
                for (Map.Entry<String, String> e : data.entrySet()) {
                    key(e.getKey(), "data key", v);
                    size += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
                }
            }
            if (size > MAX_SECRET_BYTES) {
                v.add("Secret data is " + size + " bytes; at most 1MiB");
            }
        } else if (object instanceof ConfigMap cm) {
            for (Map<String, String> data : nonNull(cm.getData(), cm.getBinaryData())) {
                data.keySet().forEach(k -> key(k, "data key", v));
            }
        }
        return v;
    }

    private static void metadata(HasMetadata object, List<String> v) {
        String name = object.getMetadata() == null ? null : object.getMetadata().getName();
        Pattern namePattern = object instanceof Service ? DNS1035_LABEL : DNS1123_SUBDOMAIN;
        int maxName = object instanceof Service ? 63 : 253;
        if (name == null
                || name.length() > maxName
                || !namePattern.matcher(name).matches()) {
            v.add("metadata.name \"" + name + "\" is not a valid "
                    + (object instanceof Service ? "DNS-1035 label" : "DNS-1123 subdomain"));
        }
        String namespace =
                object.getMetadata() == null ? null : object.getMetadata().getNamespace();
        if (namespace != null && !label(namespace)) {
            v.add("metadata.namespace \"" + namespace + "\" is not a DNS-1123 label");
        }
        labels(object.getMetadata().getLabels(), "metadata.labels", v);
        annotations(object.getMetadata().getAnnotations(), "metadata.annotations", v);
    }

    private static void template(Map<String, String> labels, PodSpec spec, List<String> v) {
        labels(labels, "spec.template.metadata.labels", v);
        podSpec(spec, "spec.template.spec", v);
    }

    private static void selectorMatches(Map<String, String> selector, Map<String, String> labels, List<String> v) {
        if (selector == null || selector.isEmpty()) {
            v.add("spec.selector is empty");
            return;
        }
        selector.forEach((k, val) -> {
            if (labels == null || !val.equals(labels.get(k))) {
                v.add("spec.selector " + k + "=" + val + " does not match the template's labels");
            }
        });
    }

    static void labels(Map<String, String> labels, String path, List<String> v) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            qualifiedKey(key, path, v);
            if (value == null
                    || value.length() > 63
                    || !LABEL_VALUE.matcher(value).matches()) {
                v.add(path + "[" + key + "] value \"" + value + "\" is not a valid label value (at most 63 of "
                        + "[A-Za-z0-9._-], alphanumeric at both ends)");
            }
        });
    }

    private static void annotations(Map<String, String> annotations, String path, List<String> v) {
        if (annotations == null) {
            return;
        }
        long size = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            qualifiedKey(e.getKey(), path, v);
            size += e.getKey().length()
                    + (e.getValue() == null ? 0 : e.getValue().length());
        }
        if (size > MAX_ANNOTATIONS_BYTES) {
            v.add(path + " total " + size + " bytes; at most 256KiB");
        }
    }

    private static void qualifiedKey(String key, String path, List<String> v) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()
                    || prefix.length() > 253
                    || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                v.add(path + " key \"" + key + "\": prefix is not a DNS-1123 subdomain");
            }
        }
        if (name.isEmpty()
                || name.length() > 63
                || !QUALIFIED_NAME.matcher(name).matches()) {
            v.add(path + " key \"" + key + "\": name is not a qualified name (at most 63 of [A-Za-z0-9._-])");
        }
    }

    private static void podSpec(PodSpec spec, String path, List<String> v) {
        if (spec == null) {
            v.add(path + " is missing");
            return;
        }
        Set<String> names = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (Volume volume : spec.getVolumes()) {
            if (!label(volume.getName())) {
                v.add(path + ".volumes: name \"" + volume.getName() + "\" is not a DNS-1123 label");
            }
            if (!volumes.add(volume.getName())) {
                v.add(path + ".volumes: name \"" + volume.getName() + "\" is used twice");
            }
            if (volume.getSecret() != null && volume.getSecret().getItems() != null) {
                volume.getSecret().getItems().forEach(i -> key(i.getKey(), path + ".volumes secret item key", v));
            }
        }
        if (spec.getContainers().isEmpty()) {
            v.add(path + ".containers: at least one container is required");
        }
        for (Container c : spec.getInitContainers()) {
            container(c, path + ".initContainers[" + c.getName() + "]", names, volumes, v);
            String restart = c.getRestartPolicy();
            if (restart != null && !restart.equals("Always")) {
                v.add(path + ".initContainers[" + c.getName() + "].restartPolicy: only Always is allowed");
            }
            if (!"Always".equals(restart)
                    && (c.getStartupProbe() != null || c.getReadinessProbe() != null || c.getLivenessProbe() != null)) {
                v.add(path + ".initContainers[" + c.getName() + "]: probes are only allowed on sidecars "
                        + "(restartPolicy: Always)");
            }
        }
        for (Container c : spec.getContainers()) {
            container(c, path + ".containers[" + c.getName() + "]", names, volumes, v);
            if (c.getRestartPolicy() != null) {
                v.add(path + ".containers[" + c.getName() + "].restartPolicy: only init containers may set it");
            }
        }
        if (spec.getRestartPolicy() != null
                && !Set.of("Always", "OnFailure", "Never").contains(spec.getRestartPolicy())) {
            v.add(path + ".restartPolicy \"" + spec.getRestartPolicy() + "\" is not Always, OnFailure or Never");
        }
        if (spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() <= 0) {
            v.add(path + ".activeDeadlineSeconds must be positive");
        }
        dns(spec, path, v);
        for (HostAlias alias : spec.getHostAliases()) {
            if (alias.getIp() == null
                    || !(IPV4.matcher(alias.getIp()).matches() || alias.getIp().contains(":"))) {
                v.add(path + ".hostAliases: ip \"" + alias.getIp() + "\" is not an IP address");
            }
            for (String hostname : alias.getHostnames()) {
                if (!subdomain(hostname)) {
                    v.add(path + ".hostAliases: hostname \"" + hostname + "\" is not a DNS-1123 subdomain");
                }
            }
        }
        spec.getImagePullSecrets().forEach(s -> {
            if (s.getName() == null || !subdomain(s.getName())) {
                v.add(path + ".imagePullSecrets: \"" + s.getName() + "\" is not a valid name");
            }
        });
        if (spec.getServiceAccountName() != null && !subdomain(spec.getServiceAccountName())) {
            v.add(path + ".serviceAccountName \"" + spec.getServiceAccountName() + "\" is not a valid name");
        }
        if (spec.getNodeSelector() != null) {
            labels(spec.getNodeSelector(), path + ".nodeSelector", v);
        }
    }

    private static void dns(PodSpec spec, String path, List<String> v) {
        String policy = spec.getDnsPolicy();
        if (policy != null && !DNS_POLICIES.contains(policy)) {
            v.add(path + ".dnsPolicy \"" + policy + "\" is not one of " + DNS_POLICIES);
        }
        PodDNSConfig config = spec.getDnsConfig();
        if ("None".equals(policy) && (config == null || config.getNameservers().isEmpty())) {
            v.add(path + ".dnsConfig.nameservers: dnsPolicy None needs at least one");
        }
        if (config == null) {
            return;
        }
        if (config.getNameservers().size() > 3) {
            v.add(path + ".dnsConfig.nameservers: at most 3, got "
                    + config.getNameservers().size());
        }
        config.getNameservers().forEach(ns -> {
            if (!IPV4.matcher(ns).matches() && !ns.contains(":")) {
                v.add(path + ".dnsConfig.nameservers: \"" + ns + "\" is not an IP address");
            }
        });
        if (config.getSearches().size() > 32) {
            v.add(path + ".dnsConfig.searches: at most 32, got "
                    + config.getSearches().size());
        }
        if (String.join(" ", config.getSearches()).length() > 2048) {
            v.add(path + ".dnsConfig.searches: at most 2048 characters in all");
        }
        config.getOptions().forEach(o -> {
            if (o.getName() == null || o.getName().isEmpty()) {
                v.add(path + ".dnsConfig.options: name is required");
            }
        });
    }

    private static void container(Container c, String path, Set<String> names, Set<String> volumes, List<String> v) {
        if (c.getName() == null || !label(c.getName())) {
            v.add(path + ": name is not a DNS-1123 label");
        } else if (!names.add(c.getName())) {
            v.add(path + ": name is used by another container (init and regular containers share one namespace)");
        }
        if (c.getImage() == null || c.getImage().isBlank()) {
            v.add(path + ".image is required");
        }
        if (c.getImagePullPolicy() != null && !PULL_POLICIES.contains(c.getImagePullPolicy())) {
            v.add(path + ".imagePullPolicy \"" + c.getImagePullPolicy() + "\" is not one of " + PULL_POLICIES);
        }
        for (EnvVar env : c.getEnv()) {
            if (env.getName() == null || !ENV_NAME.matcher(env.getName()).matches()) {
                v.add(path + ".env: \"" + env.getName() + "\" is not a valid environment variable name");
            }
            if (env.getValue() != null && env.getValueFrom() != null) {
                v.add(path + ".env[" + env.getName() + "]: value and valueFrom are exclusive");
            }
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                key(env.getValueFrom().getSecretKeyRef().getKey(), path + ".env[" + env.getName() + "] secret key", v);
            }
        }
        resources(c.getResources(), path + ".resources", v);
        if (c.getSecurityContext() != null
                && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())
                && Boolean.FALSE.equals(c.getSecurityContext().getAllowPrivilegeEscalation())) {
            // Found on the real API server (RenderedObjectsOnRealApiServerTest).
            v.add(path + ".securityContext: cannot set allowPrivilegeEscalation to false and privileged to true");
        }
        Set<String> mountPaths = new HashSet<>();
        for (VolumeMount mount : c.getVolumeMounts()) {
            if (!volumes.contains(mount.getName())) {
                v.add(path + ".volumeMounts: volume \"" + mount.getName() + "\" is not defined in the pod");
            }
            if (!mountPaths.add(mount.getMountPath())) {
                v.add(path + ".volumeMounts: mount path " + mount.getMountPath() + " is used twice");
            }
        }
        if (c.getStartupProbe() != null && c.getStartupProbe().getTcpSocket() != null) {
            Integer port = c.getStartupProbe().getTcpSocket().getPort().getIntVal();
            if (port == null || port < 1 || port > 65535) {
                v.add(path + ".startupProbe.tcpSocket.port " + port + " is not a port");
            }
        }
    }

    private static void resources(ResourceRequirements resources, String path, List<String> v) {
        if (resources == null) {
            return;
        }
        for (Map<String, Quantity> map : nonNull(resources.getLimits(), resources.getRequests())) {
            map.forEach((name, quantity) -> {
                if (!QUANTITY.matcher(quantity.toString()).matches()) {
                    v.add(path + "." + name + " \"" + quantity + "\" is not a quantity");
                }
            });
        }
        if (resources.getLimits() != null && resources.getRequests() != null) {
            resources.getRequests().forEach((name, request) -> {
                Quantity limit = resources.getLimits().get(name);
                if (limit != null
                        && QUANTITY.matcher(request.toString()).matches()
                        && QUANTITY.matcher(limit.toString()).matches()
                        && amount(request).compareTo(amount(limit)) > 0) {
                    v.add(path + ": " + name + " request " + request + " is above its limit " + limit);
                }
            });
        }
    }

    private static BigDecimal amount(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity);
    }

    private static void key(String key, String path, List<String> v) {
        if (key == null || key.length() > 253 || !CONFIG_KEY.matcher(key).matches()) {
            v.add(path + " \"" + key + "\" is not a valid key ([-._a-zA-Z0-9], at most 253)");
        }
    }

    private static boolean label(String value) {
        return value != null
                && value.length() <= 63
                && DNS1123_LABEL.matcher(value).matches();
    }

    private static boolean subdomain(String value) {
        return value != null
                && value.length() <= 253
                && DNS1123_SUBDOMAIN.matcher(value).matches();
    }

    @SafeVarargs
    private static <T> List<T> nonNull(T... values) {
        List<T> result = new ArrayList<>();
        for (T value : values) {
            if (value != null) {
                result.add(value);
            }
        }
        return result;
    }
}
