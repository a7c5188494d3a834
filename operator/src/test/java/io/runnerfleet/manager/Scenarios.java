package io.runnerfleet.manager;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Kubelet scenarios for Job Pods: what their containers print and how they end. */
final class Scenarios {
    private Scenarios() {}

    static KubeletDriver.Scenario success() {
        return exits(0);
    }

    /** Clone, a build that prints a few lines and exits with {@code code}, then the helper uploads. */
    static KubeletDriver.Scenario exits(int code) {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", "$ make test", "running 3 tests"));
            pause(40);
            k.step(s -> s.log("build", "ok  shop/cart", "ok  shop/pay"));
            k.step(s -> s.logPartial("build", "done without newline"));
            finish(k, code);
        };
    }

    /** Like {@link #exits(int)} with 0, with the build running {@code millis} before it ends (jobs overlap). */
    static KubeletDriver.Scenario takes(long millis) {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", "$ make test"));
            pause(millis);
            k.step(s -> s.log("build", "PASS"));
            finish(k, 0);
        };
    }

    /** Like {@link #exits(int)} with 0, but the build holds until {@code release} opens, mid-log. */
    static KubeletDriver.Scenario heldMidBuild(CountDownLatch release) {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", "$ make test", "running 3 tests", "ok  shop/cart"));
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            k.step(s -> s.log("build", "ok  shop/pay", "PASS"));
            finish(k, 0);
        };
    }

    /** The build prints {@code lines} lines of {@code width} characters. */
    static KubeletDriver.Scenario chatty(int lines, int width) {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            String line = "x".repeat(width);
            for (int i = 0; i < lines; i++) {
                int n = i;
                k.step(s -> s.log("build", n + " " + line));
            }
            finish(k, 0);
        };
    }

    /** The build prints one line that carries {@code secret}. */
    static KubeletDriver.Scenario prints(String text) {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", "before", text, "after"));
            finish(k, 0);
        };
    }

    static KubeletDriver.Scenario imagePullError() {
        return k -> {
            k.step(s -> s.schedule());
            k.step(s -> s.startContainer("prepare").log("prepare", "Fetching changes"));
            k.step(s -> s.terminateContainer("prepare", 0));
            k.step(s -> s.imagePullError(
                    "build",
                    "ErrImagePull",
                    "rpc error: pull access denied for registry.example.com/nope, repository does not exist"));
        };
    }

    /**
     * The build's first process is killed with SIGKILL mid-script: the container ends with reason Error, exit code
     * 137 and no termination message; the helper, which waits for the exit-code file, never finishes.
     */
    static KubeletDriver.Scenario buildKilledAsAWhole() {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", "$ ./long-running-test", "test 1 ok"));
            pause(100);
            k.step(s -> s.terminateContainer("build", 137, "Error", null));
        };
    }

    /**
     * The build image cannot be pulled unless the build container's {@code imagePullPolicy} is {@code works} (an image
     * only the node has: {@code Always} fails, {@code IfNotPresent} finds it); then the job succeeds.
     */
    static KubeletDriver.Scenario buildImagePullsOnlyWith(String works) {
        return k -> {
            String policy = k.raw().pod().getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals("build"))
                    .findFirst()
                    .orElseThrow()
                    .getImagePullPolicy();
            if (works.equals(policy)) {
                success().play(k);
                return;
            }
            k.step(s -> s.schedule());
            k.step(s -> s.startContainer("prepare").log("prepare", "Fetching changes"));
            k.step(s -> s.terminateContainer("prepare", 0));
            k.step(s -> s.imagePullError(
                    "build",
                    "ErrImagePull",
                    "failed to resolve reference \"registry.example.com/only-local:1\": not found"));
        };
    }

    /**
     * The service {@code service} (a native sidecar) crashes twice while the build runs; Kubernetes restarts it and
     * then backs off (CrashLoopBackOff). The build does not need it and succeeds.
     */
    static KubeletDriver.Scenario serviceCrashesDuringTheBuild(String service) {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer(service));
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", "$ make test", "running without the service"));
            k.step(s -> s.status(status -> status.getInitContainerStatuses().stream()
                    .filter(c -> c.getName().equals(service))
                    .forEach(c -> {
                        c.setRestartCount(2);
                        c.setReady(false);
                        c.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                                .withNewTerminated()
                                .withExitCode(1)
                                .withReason("Error")
                                .withMessage("listen tcp :6379: address already in use")
                                .endTerminated()
                                .build());
                        c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                                .withNewWaiting()
                                .withReason("CrashLoopBackOff")
                                .withMessage("back-off 20s restarting failed container=" + service)
                                .endWaiting()
                                .build());
                    })));
            pause(300);
            k.step(s -> s.log("build", "ok  shop/cart"));
            finish(k, 0);
        };
    }

    static KubeletDriver.Scenario unschedulable() {
        return k -> k.step(s -> s.unschedulable("0/3 nodes are available: 3 Insufficient cpu."));
    }

    static KubeletDriver.Scenario deadlineMidBuild() {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", "$ sleep 100000"));
            pause(200);
            k.step(s -> s.deadlineExceeded());
        };
    }

    /** Runs until the pod is deleted (a cancel), printing a line now and then. */
    static KubeletDriver.Scenario runsUntilDeleted() {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            for (int i = 0; i < 600 && k.raw().pod() != null; i++) {
                int n = i;
                k.step(s -> s.log("build", "tick " + n));
                pause(50);
            }
        };
    }

    /**
     * The build script's timer stops the script at the timeout (jobpod.BuildScript): after_script runs as timedout,
     * the build exits with the stage's code and says {@code timedout}, the helper uploads as for a failed job.
     */
    static KubeletDriver.Scenario scriptTimedOut() {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", "$ sleep 100000"));
            pause(100);
            k.step(s -> s.log(
                    "build",
                    "ERROR: the script ran past its timeout (600s left of the job's); stopping it",
                    "Running after_script...",
                    "$ echo status=$CI_JOB_STATUS",
                    "status=timedout"));
            k.step(s -> s.terminateContainer("build", 143, "Error", "timedout\n"));
            k.step(s -> s.log("helper", "Uploading artifacts for failed job"));
            k.helperExits();
            k.step(s -> s.fail());
        };
    }

    /**
     * Runs until {@code deleteRequested} says the manager asked to delete the pod; the pod then lives on as during a
     * grace period: the SIGTERM stopped the script, after_script runs as canceled, the helper uploads.
     */
    static KubeletDriver.Scenario canceledGracefully(java.util.function.BooleanSupplier deleteRequested) {
        return k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            for (int i = 0; i < 600 && !deleteRequested.getAsBoolean(); i++) {
                int n = i;
                k.step(s -> s.log("build", "tick " + n));
                pause(50);
            }
            pause(300);
            k.step(s -> s.log("build", "Running after_script...", "$ echo status=$CI_JOB_STATUS", "status=canceled"));
            k.step(s -> s.terminateContainer("build", 143, "Error", "canceled"));
            k.step(s -> s.log("helper", "helper: uploading on_failure artifacts"));
            k.helperExits();
            k.step(s -> s.fail());
        };
    }

    private static void prepared(KubeletDriver.Kubelet k) throws InterruptedException {
        k.step(s -> s.schedule());
        k.step(s -> s.startContainer("prepare").log("prepare", "Fetching changes", "Checking out 3f2c1e9a"));
        k.step(s -> s.terminateContainer("prepare", 0));
    }

    private static void finish(KubeletDriver.Kubelet k, int buildExit) throws InterruptedException {
        k.step(s -> s.terminateContainer("build", buildExit));
        k.step(s -> s.log(
                "helper",
                buildExit == 0 ? "Uploading artifacts for successful job" : "Uploading artifacts for failed job"));
        k.helperExits();
        k.step(s -> {
            if (buildExit == 0) {
                s.succeed();
            } else {
                s.fail();
            }
        });
    }

    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
