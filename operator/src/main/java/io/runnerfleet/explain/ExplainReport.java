package io.runnerfleet.explain;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.CapacityAware;
import io.runnerfleet.api.v1alpha1.ManagersSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.diagnostics.FleetDiagnostics;
import io.runnerfleet.diagnostics.JobPodServices;
import io.runnerfleet.diagnostics.PlaceholderJob;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.jobpod.ImageReference;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.jobpod.JobPodException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code runner-fleet explain}: what a fleet, and optionally one job, become, in words for a human. Pure: the
 * report is computed from the same builder the manager uses, so it cannot disagree with the real Job Pod.
 */
public final class ExplainReport {
    private ExplainReport() {}

    public static String of(RunnerFleet fleet, Optional<JobPayload> job) {
        StringBuilder out = new StringBuilder();
        String name =
                fleet.getMetadata().getNamespace() + "/" + fleet.getMetadata().getName();
        out.append("Fleet ").append(name).append('\n');
        ManagersSpec managers = fleet.getSpec().managers();
        out.append("  Capacity: ")
                .append(managers.replicas())
                .append(" managers x ")
                .append(managers.concurrent())
                .append(" concurrent jobs = ")
                .append((long) managers.replicas() * managers.concurrent())
                .append(" jobs at once\n");
        JobPodContext ctx = JobPodContext.forFleet(fleet);
        out.append(capacityCheck(fleet.getSpec().executor().capacityAwareOrDefault(), ctx.namespace()));
        JobPayload subject = job.orElseGet(() -> PlaceholderJob.forFleet(fleet));
        Pod pod;
        try {
            pod = JobPodBuilder.build(subject, ctx).pod();
        } catch (JobPodException e) {
            out.append('\n').append(FleetDiagnostics.wouldNotStart(e)).append('\n');
            return out.toString();
        }
        out.append('\n')
                .append(job.map(j ->
                                "Job Pod for job " + j.id() + " (" + j.jobInfo().name() + ") in " + ctx.namespace())
                        .orElse("Job Pod of a job without services of its own, in " + ctx.namespace()))
                .append('\n');
        resources(out, pod, job.isEmpty(), fleet);
        if (fleet.getSpec().warmCapacity() != null) {
            // Sized from the job-less Job Pod, as the operator sizes them, whatever --job names.
            WarmCapacityExplanation.append(
                    out,
                    fleet.getSpec().warmCapacity(),
                    job.isEmpty()
                            ? pod
                            : JobPodBuilder.build(PlaceholderJob.forFleet(fleet), ctx)
                                    .pod());
        }
        List<Container> services = JobPodServices.of(pod);
        hosts(out, pod);
        boolean inherit = fleet.getSpec().executor().dind().inherit();
        dns(out, pod, services, inherit);
        if (job.isEmpty() && services.stream().noneMatch(s -> ImageReference.isDind(s.getImage()))) {
            dindOfAJob(out, fleet, ctx, inherit);
        }
        DrainExplanation.append(out, fleet, pod);
        List<String> warnings = FleetDiagnostics.of(pod, job);
        out.append('\n');
        if (warnings.isEmpty()) {
            out.append("Warnings: none\n");
        } else {
            out.append("Warnings:\n");
            warnings.forEach(w -> out.append("  ! ").append(w).append('\n'));
        }
        return out.toString();
    }

    /** What {@code spec.executor.capacityAware} makes the managers do before each job request. */
    private static String capacityCheck(CapacityAware mode, String namespace) {
        if (mode == CapacityAware.NONE) {
            return "  Capacity check: none (spec.executor.capacityAware): a job is requested whenever a slot is free\n";
        }
        String quota = "every ResourceQuota of namespace " + namespace + " has room for one more Job Pod of a job "
                + "without services of its own (its requests below)";
        if (mode == CapacityAware.NODES) {
            return "  Capacity check: nodes (spec.executor.capacityAware): a job is requested only while " + quota
                    + ", and some Ready, schedulable node whose taints it tolerates and whose labels match its "
                    + "nodeSelector has that much allocatable left after its pods' requests\n";
        }
        return "  Capacity check: quota (spec.executor.capacityAware): a job is requested only while " + quota + "\n";
    }

    private static void resources(StringBuilder out, Pod pod, boolean placeholder, RunnerFleet fleet) {
        ResourceTotals totals = ResourceTotals.of(pod);
        out.append("  Containers (cpu limit/request, memory limit/request):\n");
        for (ResourceTotals.Row row : totals.rows()) {
            out.append(String.format(
                    "    %-12s %-18s cpu %s/%s  memory %s/%s%s%n",
                    row.name(),
                    row.role(),
                    row.cpuLimit(),
                    row.cpuRequest(),
                    row.memoryLimit(),
                    row.memoryRequest(),
                    row.counted() ? "" : "  (not in the total: it finishes before the others start)"));
        }
        out.append("  Total while the job runs: limits ")
                .append(ResourceTotals.cores(totals.cpuLimit()))
                .append(" CPU and ")
                .append(ResourceTotals.bytes(totals.memoryLimit()))
                .append(", requests ")
                .append(ResourceTotals.cores(totals.cpuRequest()))
                .append(" CPU and ")
                .append(ResourceTotals.bytes(totals.memoryRequest()))
                .append(" (a request defaults to its limit)\n");
        if (totals.unbounded()) {
            out.append("  Some containers have no limit: the totals are lower bounds.\n");
        }
        if (placeholder) {
            var service = fleet.getSpec().executor().service();
            out.append("  Each service of a job adds cpu ")
                    .append(orDash(service.cpuLimit()))
                    .append('/')
                    .append(orDash(service.cpuRequest() != null ? service.cpuRequest() : service.cpuLimit()))
                    .append(", memory ")
                    .append(orDash(service.memoryLimit()))
                    .append('/')
                    .append(orDash(service.memoryRequest() != null ? service.memoryRequest() : service.memoryLimit()))
                    .append(" (limit/request).\n");
        }
    }

    private static void hosts(StringBuilder out, Pod pod) {
        if (pod.getSpec().getHostAliases().isEmpty()) {
            return;
        }
        out.append("  /etc/hosts adds:\n");
        for (HostAlias alias : pod.getSpec().getHostAliases()) {
            out.append("    ")
                    .append(alias.getIp())
                    .append(' ')
                    .append(String.join(" ", alias.getHostnames()))
                    .append('\n');
        }
    }

    private static void dns(StringBuilder out, Pod pod, List<Container> services, boolean inherit) {
        out.append("\nDNS\n");
        out.append("  Pod resolver: ").append(DnsExplanation.podResolver(pod)).append('\n');
        List<String> names = new ArrayList<>();
        pod.getSpec().getInitContainers().forEach(c -> names.add(c.getName()));
        pod.getSpec().getContainers().forEach(c -> names.add(c.getName()));
        out.append("  ")
                .append(String.join(", ", names))
                .append(": the pod resolver (/etc/resolv.conf is the " + "same in every container)\n");
        for (Container service : services) {
            if (ImageReference.isDind(service.getImage())) {
                dockerd(out, pod, service, "  dockerd in " + service.getName() + ":\n", inherit);
            }
        }
    }

    /** Without a job: what dockerd of a DinD service a job adds would use, from the pod such a job gets. */
    private static void dindOfAJob(StringBuilder out, RunnerFleet fleet, JobPodContext ctx, boolean inherit) {
        Pod pod;
        try {
            pod = JobPodBuilder.build(PlaceholderJob.withDindService(fleet), ctx)
                    .pod();
        } catch (JobPodException e) {
            return; // such as a fleet whose allowedServices refuse docker:dind: no DinD service to describe
        }
        for (Container service : JobPodServices.of(pod)) {
            if (ImageReference.isDind(service.getImage())) {
                dockerd(
                        out,
                        pod,
                        service,
                        "  dockerd of a Docker-in-Docker service a job adds (" + service.getImage()
                                + ", no entrypoint or command of its own):\n",
                        inherit);
            }
        }
    }

    private static void dockerd(StringBuilder out, Pod pod, Container service, String heading, boolean inherit) {
        out.append(heading);
        out.append("    its own image pulls (FROM) resolve through the pod resolver: ")
                .append(DnsExplanation.resolverShort(pod))
                .append('\n');
        out.append("    containers it starts (RUN steps, docker run) resolve through ")
                .append(DockerdNetworkExplanation.containersResolver(pod, service, inherit))
                .append('\n');
        out.append("    MTU of its networks and their containers: ")
                .append(DockerdNetworkExplanation.containersMtu(service, inherit))
                .append('\n');
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
