package io.runnerfleet.testing.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plays the kubelet (and scheduler) for one pod on the mock API server, which runs no controllers: moves the pod
 * through Pending, Running and Succeeded/Failed by writing its status (read, change, {@code updateStatus()}), with
 * init container, sidecar ({@code restartPolicy: Always} init container) and container states and exit codes; writes
 * the containers' log lines into {@link ContainerLogs}; and produces the failures the job controller must recognise:
 * image pull errors, Unschedulable, eviction, deadline kill.
 *
 * <p>Each method is one status write (or one log line) and returns {@code this}. Timestamps come from the logs' clock.
 */
public final class SimulatedKubelet {
    private final KubernetesClient client;
    private final ContainerLogs logs;
    private final String namespace;
    private final String pod;
    private final Clock clock;

    public SimulatedKubelet(KubernetesClient client, ContainerLogs logs, String namespace, String pod) {
        this.client = client;
        this.logs = logs;
        this.namespace = namespace;
        this.pod = pod;
        this.clock = logs.clock();
    }

    public Pod pod() {
        return client.pods().inNamespace(namespace).withName(pod).get();
    }

    /** Scheduled: phase Pending, PodScheduled=True, every container waiting (PodInitializing). */
    public SimulatedKubelet schedule() {
        return status(s -> {
            s.setPhase("Pending");
            condition(s, "PodScheduled", "True", null, null);
            condition(s, "Initialized", "False", "ContainersNotInitialized", null);
            condition(s, "Ready", "False", "ContainersNotReady", null);
            s.setStartTime(now());
            Pod p = pod();
            s.setInitContainerStatuses(waitingAll(p.getSpec().getInitContainers(), "PodInitializing"));
            s.setContainerStatuses(waitingAll(p.getSpec().getContainers(), "PodInitializing"));
        });
    }

    /** Not schedulable: phase Pending, PodScheduled=False reason Unschedulable. */
    public SimulatedKubelet unschedulable(String message) {
        return status(s -> {
            s.setPhase("Pending");
            condition(s, "PodScheduled", "False", "Unschedulable", message);
        });
    }

    /** The container's image cannot be pulled: waiting with {@code ErrImagePull} or {@code ImagePullBackOff}. */
    public SimulatedKubelet imagePullError(String container, String reason, String message) {
        return status(s -> setState(
                s,
                container,
                new ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .build(),
                false,
                0));
    }

    /** The container runs (its log can be read). An init container keeps the pod Pending; a container makes it Running. */
    public SimulatedKubelet startContainer(String container) {
        logs.start(namespace, pod, container);
        return status(s -> {
            setState(
                    s,
                    container,
                    new ContainerStateBuilder()
                            .withNewRunning()
                            .withStartedAt(now())
                            .endRunning()
                            .build(),
                    true,
                    0);
            if (isRegular(container)) {
                s.setPhase("Running");
                condition(s, "Initialized", "True", null, null);
                condition(s, "Ready", "True", null, null);
            }
        });
    }

    /** One line of the container's output, stamped by the clock. */
    public SimulatedKubelet log(String container, String... lines) {
        for (String line : lines) {
            logs.append(namespace, pod, container, line);
        }
        return this;
    }

    /** The kubelet rotates the container's log: what it printed so far is no longer served ({@link ContainerLogs}). */
    public SimulatedKubelet rotateLog(String container) {
        logs.rotate(namespace, pod, container);
        return this;
    }

    /** Output without a newline (the container's last words). */
    public SimulatedKubelet logPartial(String container, String text) {
        logs.appendPartial(namespace, pod, container, text);
        return this;
    }

    /** The container exits with this code (reason Completed for 0, else Error). */
    public SimulatedKubelet terminateContainer(String container, int exitCode) {
        return terminateContainer(container, exitCode, exitCode == 0 ? "Completed" : "Error");
    }

    public SimulatedKubelet terminateContainer(String container, int exitCode, String reason) {
        return terminateContainer(container, exitCode, reason, null);
    }

    /** The container exits; {@code message} is what it wrote to its termination message path. */
    public SimulatedKubelet terminateContainer(String container, int exitCode, String reason, String message) {
        logs.terminate(namespace, pod, container);
        return status(s -> {
            ContainerStatus cs = find(s, container);
            String startedAt =
                    cs != null && cs.getState() != null && cs.getState().getRunning() != null
                            ? cs.getState().getRunning().getStartedAt()
                            : now();
            setState(
                    s,
                    container,
                    new ContainerStateBuilder()
                            .withNewTerminated()
                            .withExitCode(exitCode)
                            .withReason(reason)
                            .withMessage(message)
                            .withStartedAt(startedAt)
                            .withFinishedAt(now())
                            .endTerminated()
                            .build(),
                    false,
                    0);
        });
    }

    /** Phase Succeeded. */
    public SimulatedKubelet succeed() {
        return status(s -> {
            s.setPhase("Succeeded");
            condition(s, "Ready", "False", "PodCompleted", null);
        });
    }

    /** Phase Failed. */
    public SimulatedKubelet fail() {
        return status(s -> {
            s.setPhase("Failed");
            condition(s, "Ready", "False", "PodFailed", null);
        });
    }

    /** Evicted: phase Failed, reason Evicted, DisruptionTarget=True; running containers killed (137). */
    public SimulatedKubelet evict(String message) {
        return killed("Evicted", message, "DisruptionTarget", "TerminationByKubelet");
    }

    /** {@code activeDeadlineSeconds} passed: phase Failed, reason DeadlineExceeded; running containers killed (137). */
    public SimulatedKubelet deadlineExceeded() {
        return killed("DeadlineExceeded", "Pod was active on the node longer than the specified deadline", null, null);
    }

    private SimulatedKubelet killed(String reason, String message, String conditionType, String conditionReason) {
        for (ContainerStatus cs : all(pod().getStatus())) {
            if (cs.getState() != null && cs.getState().getRunning() != null) {
                logs.terminate(namespace, pod, cs.getName());
            }
        }
        return status(s -> {
            for (ContainerStatus cs : all(s)) {
                if (cs.getState() != null && cs.getState().getRunning() != null) {
                    cs.setState(new ContainerStateBuilder()
                            .withNewTerminated()
                            .withExitCode(137)
                            .withReason("Error")
                            .withStartedAt(cs.getState().getRunning().getStartedAt())
                            .withFinishedAt(now())
                            .endTerminated()
                            .build());
                    cs.setReady(false);
                    cs.setStarted(false);
                }
            }
            s.setPhase("Failed");
            s.setReason(reason);
            s.setMessage(message);
            if (conditionType != null) {
                condition(s, conditionType, "True", conditionReason, message);
            }
            condition(s, "Ready", "False", "PodFailed", null);
        });
    }

    /** Reads the pod, changes its status, writes it back with {@code updateStatus()} (PUT, resourceVersion checked). */
    public SimulatedKubelet status(Consumer<PodStatus> change) {
        Pod p = pod();
        if (p == null) {
            throw new IllegalStateException("pod " + namespace + "/" + pod + " does not exist");
        }
        if (p.getStatus() == null) {
            p.setStatus(new PodStatus());
        }
        change.accept(p.getStatus());
        client.pods().inNamespace(namespace).resource(p).updateStatus();
        return this;
    }

    private boolean isRegular(String container) {
        return pod().getSpec().getContainers().stream()
                .anyMatch(c -> c.getName().equals(container));
    }

    private void setState(PodStatus s, String container, ContainerState state, boolean running, int restarts) {
        ContainerStatus cs = find(s, container);
        if (cs == null) {
            cs = new ContainerStatusBuilder()
                    .withName(container)
                    .withImage(imageOf(container))
                    .build();
            if (isRegular(container)) {
                List<ContainerStatus> list = new ArrayList<>(nullToEmpty(s.getContainerStatuses()));
                list.add(cs);
                s.setContainerStatuses(list);
            } else {
                List<ContainerStatus> list = new ArrayList<>(nullToEmpty(s.getInitContainerStatuses()));
                list.add(cs);
                s.setInitContainerStatuses(list);
            }
        }
        cs.setState(state);
        cs.setReady(running);
        cs.setStarted(running);
        cs.setRestartCount(restarts);
    }

    private String imageOf(String container) {
        Pod p = pod();
        List<Container> all = new ArrayList<>(nullToEmpty(p.getSpec().getInitContainers()));
        all.addAll(nullToEmpty(p.getSpec().getContainers()));
        return all.stream()
                .filter(c -> c.getName().equals(container))
                .map(Container::getImage)
                .findFirst()
                .orElse("unknown");
    }

    private static List<ContainerStatus> waitingAll(List<Container> containers, String reason) {
        List<ContainerStatus> out = new ArrayList<>();
        for (Container c : nullToEmpty(containers)) {
            out.add(new ContainerStatusBuilder()
                    .withName(c.getName())
                    .withImage(c.getImage())
                    .withReady(false)
                    .withStarted(false)
                    .withRestartCount(0)
                    .withState(new ContainerStateBuilder()
                            .withNewWaiting()
                            .withReason(reason)
                            .endWaiting()
                            .build())
                    .build());
        }
        return out;
    }

    private static ContainerStatus find(PodStatus s, String container) {
        return all(s).stream()
                .filter(c -> c.getName().equals(container))
                .findFirst()
                .orElse(null);
    }

    private static List<ContainerStatus> all(PodStatus s) {
        List<ContainerStatus> out = new ArrayList<>();
        if (s != null) {
            out.addAll(nullToEmpty(s.getInitContainerStatuses()));
            out.addAll(nullToEmpty(s.getContainerStatuses()));
        }
        return out;
    }

    private void condition(PodStatus s, String type, String status, String reason, String message) {
        List<PodCondition> conditions = new ArrayList<>(nullToEmpty(s.getConditions()));
        conditions.removeIf(c -> type.equals(c.getType()));
        conditions.add(new PodConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(now())
                .build());
        s.setConditions(conditions);
    }

    private String now() {
        Instant i = clock.instant();
        return i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
