package io.runnerfleet.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.Golden;
import io.runnerfleet.validation.FleetLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplainReportTest {
    static final Path MISTAKES_FLEET = Path.of("src/test/resources/explain/mistakes-fleet.yaml");
    static final Path MISTAKES_JOB = Path.of("src/test/resources/explain/mistakes-job.json");

    static RunnerFleet fleet(Path file) {
        return new FleetLoader().load(file).get(0);
    }

    static Optional<JobPayload> job(Path file) {
        return Optional.of(JobPayloadReader.read(file));
    }

    @Test
    void theSeedWithItsDockerBuildJob() {
        String report =
                ExplainReport.of(fleet(Examples.path("seed-fleet.yaml")), job(Examples.path("jobs/docker-build.json")));
        assertThat(report)
                .contains("3 managers x 10 concurrent jobs = 30 jobs at once")
                .contains("limits 4.5 CPU and 4.5Gi")
                .contains("127.0.0.1 registry.example.com-docker docker")
                .contains(
                        "its own image pulls (FROM) resolve through the pod resolver: 10.0.0.2, 10.1.0.251, 10.1.0.252")
                .contains("containers it starts (RUN steps, docker run) resolve through dockerd's --dns 10.0.0.2, "
                        + "10.1.0.251, 10.1.0.252; --dns-search gitlab.svc.cluster.local svc.cluster.local "
                        + "cluster.local; --dns-opt ndots:2: the pod's own resolver (spec.executor.dind.inherit)")
                .contains("MTU of its networks and their containers: the pod interface's (eth0), read when the "
                        + "service starts")
                .contains("Warnings: none");
        Golden.assertMatches("explain/seed-docker-build.txt", report);
    }

    /** spec.executor.dind.inherit off: dockerd's containers get a copy of the pod's resolv.conf and Docker's MTU. */
    @Test
    void theSeedWithInheritOff() throws java.io.IOException {
        RunnerFleet fleet = new FleetLoader()
                .load(
                        "seed-inherit-off.yaml",
                        java.nio.file.Files.readString(Examples.path("seed-fleet.yaml"))
                                .replace("      inherit: true\n", "      inherit: false\n"))
                .get(0);
        String report = ExplainReport.of(fleet, job(Examples.path("jobs/docker-build.json")));
        assertThat(report)
                .contains("containers it starts (RUN steps, docker run) resolve through a copy of dockerd's "
                        + "/etc/resolv.conf, i.e. the pod resolver (10.0.0.2, 10.1.0.251, 10.1.0.252); dockerd has no "
                        + "--dns (spec.executor.dind.inherit is off)")
                .contains("MTU of its networks and their containers: Docker's default, 1500, whatever the pod's MTU "
                        + "(spec.executor.dind.inherit is off)");
        assertThat(ExplainReport.of(fleet, Optional.empty()))
                .contains("dockerd of a Docker-in-Docker service a job adds (docker:dind")
                .contains("(spec.executor.dind.inherit is off)");
    }

    @Test
    void theSeedWithoutAJob() {
        String report = ExplainReport.of(fleet(Examples.path("seed-fleet.yaml")), Optional.empty());
        assertThat(report)
                .contains("limits 2.5 CPU and 2.5Gi")
                .contains("Each service of a job adds cpu 2/500m")
                .contains("dockerd of a Docker-in-Docker service a job adds (docker:dind, no entrypoint or command")
                .contains("read when the service starts (spec.executor.dind.inherit)");
        Golden.assertMatches("explain/seed-no-job.txt", report);
    }

    /** Issue #17: capacityAware: nodes checks the quota and the nodes (docs/capacity.md). */
    @Test
    void theSeedWithCapacityAwareNodes() {
        RunnerFleet fleet =
                Fleets.with(fleet(Examples.path("seed-fleet.yaml")), "spec.executor.capacityAware", "nodes");
        assertThat(ExplainReport.of(fleet, Optional.empty()))
                .contains("Capacity check: nodes (spec.executor.capacityAware): a job is requested only while every "
                        + "ResourceQuota of namespace gitlab has room")
                .contains("and some Ready, schedulable node whose taints it tolerates");
    }

    /** Issue #17: what a drain does to the running jobs, from spec.executor.disruption (docs/job-pod.md, Drains). */
    @Test
    void drainsSayWhetherRunningJobsAreProtectedAndForHowLong() {
        RunnerFleet seed = fleet(Examples.path("seed-fleet.yaml"));
        assertThat(ExplainReport.of(seed, Optional.empty()))
                .contains(
                        "Running Job Pods are protected: PodDisruptionBudget gitlab/build-fleet-jobs (maxUnavailable 0)")
                .contains("cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"")
                .contains("A drain waits until the job ends (no maxWait; the pod's activeDeadlineSeconds, ")
                .contains("Scale-down removes idle managers first");
        assertThat(ExplainReport.of(
                        Fleets.with(seed, "spec.executor.disruption", Map.of("maxWait", "2h")), Optional.empty()))
                .contains("A drain waits until the job ends, for at most 2h after the Job Pod's creation (maxWait)");
        assertThat(ExplainReport.of(
                        Fleets.with(seed, "spec.executor.disruption", Map.of("protect", false)), Optional.empty()))
                .contains("Running Job Pods are not protected (spec.executor.disruption.protect: false)")
                .doesNotContain("PodDisruptionBudget");
    }

    @Test
    void everyMistakeOfTheSeedIsWarnedAbout() {
        String report = ExplainReport.of(fleet(MISTAKES_FLEET), job(MISTAKES_JOB));
        assertThat(report)
                .contains("passes --dns 8.8.8.8 to dockerd, but the pod has no dnsConfig")
                .contains("job variable KUBERNETES_DNS_CONFIG changes nothing")
                .contains("DOCKER_HOST is tcp://docker:2375, but no service answers to \"docker\"")
                .contains("reachable as registry.example.com-docker only. Add alias: docker")
                .contains("without privileged: dockerd will not start")
                .contains("cluster DNS (ClusterFirst) with no nameservers")
                .contains(
                        "resolve through dockerd's --dns 8.8.8.8: not the pod resolver (cluster DNS), the service's own")
                .contains("its own image pulls (FROM) resolve through the pod resolver: cluster DNS");
        Golden.assertMatches("explain/mistakes.txt", report);
    }

    @Test
    void dockerHostIsJudgedAsTheBuildSeesIt() throws java.io.IOException {
        // Expanded, and the job's value over the fleet's environment (gitlab-runner's precedence).
        JobPayload job = JobPayloadReader.read("job", """
                {"id": 1, "token": "glcbt-64_ExplainTestJobToken001", "job_info": {"project_id": 1, "project_full_path": "a/b"},
                 "git_info": {"repo_url": "https://h/a/b.git", "sha": "abc"}, "steps": [],
                 "variables": [{"key": "DIND", "value": "docker", "public": true},
                               {"key": "DOCKER_HOST", "value": "tcp://${DIND}:2375", "public": true}],
                 "services": [{"name": "registry.example.com/docker:dind"}]}
                """);
        RunnerFleet fleet = new FleetLoader()
                .load(
                        "seed-with-environment.yaml",
                        java.nio.file.Files.readString(Examples.path("seed-fleet.yaml"))
                                .replace(
                                        "  managers:\n",
                                        "  runner:\n    environment: [\"DOCKER_HOST=tcp://localhost:2375\"]\n  managers:\n"))
                .get(0);
        assertThat(fleet.getSpec().runner().environment()).contains("DOCKER_HOST=tcp://localhost:2375");
        assertThat(ExplainReport.of(fleet, Optional.of(job)))
                .contains("DOCKER_HOST is tcp://docker:2375, but no service answers to \"docker\"");
    }

    @Test
    void aJobTheFleetCannotRunIsExplainedNotThrown() {
        JobPayload job = JobPayloadReader.read("job", """
                {"id": 1, "token": "t", "job_info": {"project_id": 1, "project_full_path": "a/b"},
                 "git_info": {"repo_url": "https://h/a/b.git", "sha": "abc"}, "steps": [],
                 "services": [{"name": "postgres:16", "alias": "Bad_Alias"}]}
                """);
        assertThat(ExplainReport.of(fleet(MISTAKES_FLEET), Optional.of(job)))
                .contains("This job would not start")
                .contains("Bad_Alias");
    }

    @Test
    void totalsFormatCoresAndMemory() {
        assertThat(ResourceTotals.cores(new java.math.BigDecimal("4.500"))).isEqualTo("4.5");
        assertThat(ResourceTotals.bytes(java.math.BigDecimal.valueOf(4_831_838_208L)))
                .isEqualTo("4.5Gi");
        assertThat(ResourceTotals.bytes(java.math.BigDecimal.valueOf(640L << 20)))
                .isEqualTo("640Mi");
    }

    @Test
    void warmCapacityIsExplainedPolicyByPolicyWithWhatOnePausePodHolds() {
        RunnerFleet fleet = new FleetLoader()
                .load(Path.of("src/test/resources/fleets/warm-capacity-fleet.yaml"))
                .get(0);
        assertThat(ExplainReport.of(fleet, Optional.empty()))
                .contains("Warm capacity: pause pods of PriorityClass runner-fleet-warm-capacity (value -1, created by "
                        + "the operator), image registry.k8s.io/pause:3.10; of the active policies the last applies")
                .contains("policies[0] max(2, ceil(running jobs x 0.5) up to 8) pause pods during * 8-17 * * mon-fri "
                        + "(Europe/Berlin); fewer only after 10m")
                .contains("Each pause pod requests cpu 1250m, memory 2304Mi");
    }
}
