package io.runnerfleet.jobpod;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sizes no Kubernetes node or API server accepts, checked on the finished objects so a job that exceeds them is
 * refused before any pod, in the job's words, instead of failing as an API error or a container that cannot start.
 * gitlab-runner's attach strategy streams the script and variables into a running shell and has no such limits;
 * ours puts them into the pod spec and the Secret (docs/job-pod.md), which is why the check exists.
 */
final class ObjectSizeLimits {
    /** {@code MaxSecretSize} of Kubernetes' core validation: the sum of a Secret's values. */
    static final int MAX_SECRET_BYTES = 1024 * 1024;

    /**
     * Below etcd's default request limit (1.5 MiB) with room for the pod's status and managed fields: a larger pod is
     * refused by the API server ("request is too large").
     */
    static final int MAX_POD_BYTES = 1024 * 1024;

    /** Linux's {@code MAX_ARG_STRLEN}: one {@code KEY=value} string of a process's environment, with its NUL. */
    static final int MAX_ENV_ENTRY_BYTES = 32 * 4096;

    /** The API server stores JSON (or protobuf, smaller): the JSON size bounds what is stored. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private ObjectSizeLimits() {}

    static void check(Pod pod, Secret secret) {
        Map<String, String> data = secret.getStringData() == null ? Map.of() : secret.getStringData();
        for (Container container : containers(pod)) {
            for (EnvVar env : container.getEnv()) {
                String value = env.getValue() != null
                        ? env.getValue()
                        : env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null
                                ? data.getOrDefault(
                                        env.getValueFrom().getSecretKeyRef().getKey(), "")
                                : "";
                checkEnvironmentEntry(env.getName(), value);
            }
        }
        long secretBytes = 0;
        for (String value : data.values()) {
            secretBytes += value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (secretBytes > MAX_SECRET_BYTES) {
            throw new JobPodException("the job's variables, files and token take " + secretBytes + " bytes in the "
                    + "job's Secret; Kubernetes keeps at most " + MAX_SECRET_BYTES + " bytes in a Secret. Keep "
                    + "large values in the repository or in artifacts");
        }
        int podBytes = serializedSize(pod);
        if (podBytes > MAX_POD_BYTES) {
            int variables = pod.getSpec().getContainers().stream()
                    .mapToInt(c -> c.getEnv().size())
                    .max()
                    .orElse(0);
            throw new JobPodException("the Job Pod's spec would take " + podBytes + " bytes (the job's script and its "
                    + variables + " variables, in each container), above the " + MAX_POD_BYTES + " bytes the API "
                    + "server stores; move long scripts into a file of the repository and run that, and pass "
                    + "fewer or smaller variables");
        }
    }

    /** Linux refuses to start a process whose environment holds such an entry; say so before the pod. */
    private static void checkEnvironmentEntry(String name, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new JobPodException("variable " + ServiceHostnames.printable(name) + " contains a NUL character, "
                    + "which no process environment can carry");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (name.length() + 2 + bytes > MAX_ENV_ENTRY_BYTES) {
            throw new JobPodException("variable " + ServiceHostnames.printable(name) + " has " + bytes
                    + " bytes; Linux passes at most " + MAX_ENV_ENTRY_BYTES + " bytes per environment "
                    + "variable, so no container could start. Make it a file variable (type: file) or keep "
                    + "the value in the repository");
        }
    }

    private static List<Container> containers(Pod pod) {
        List<Container> all = new ArrayList<>(pod.getSpec().getInitContainers());
        all.addAll(pod.getSpec().getContainers());
        return all;
    }

    private static int serializedSize(Pod pod) {
        try {
            return JSON.writeValueAsBytes(pod).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a built pod is always serialisable", e);
        }
    }
}
