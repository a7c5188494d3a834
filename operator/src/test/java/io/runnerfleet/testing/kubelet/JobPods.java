package io.runnerfleet.testing.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** A minimal Job Pod shape for kubelet tests: init container {@code prepare}, sidecar {@code svc-0}, {@code build}, {@code helper}. */
public final class JobPods {
    private JobPods() {}

    public static Pod jobPod(String namespace, String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewInitContainer()
                .withName("prepare")
                .withImage("helper:1")
                .endInitContainer()
                .addNewInitContainer()
                .withName("svc-0")
                .withImage("postgres:16")
                .withRestartPolicy("Always")
                .endInitContainer()
                .addNewContainer()
                .withName("build")
                .withImage("alpine:3.20")
                .endContainer()
                .addNewContainer()
                .withName("helper")
                .withImage("helper:1")
                .endContainer()
                .endSpec()
                .build();
    }
}
