package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.runnerfleet.desired.ManagerPermissions;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import io.runnerfleet.testing.kubelet.KubeletLogDispatcher.ApiRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked against what the manager really does: every call its Kubernetes client makes while it
 * runs jobs, a cancel and an adoption is mapped to an RBAC (group, resource, verb) and must be granted by the
 * Role the operator gives managers ({@link ManagerPermissions}); none may be cluster-scoped.
 */
class ManagerCallsRbacTest {
    private static final Pattern NAMESPACED = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/[^/]+/([^/?]+)(?:/([^/?]+)(?:/([^/?]+))?)?(?:\\?(.*))?$");

    private final ManagerHarness harness = new ManagerHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    /** group/resource[/subresource] verb, as an RBAC rule names them. */
    record Call(String group, String resource, String verb) implements Comparable<Call> {
        @Override
        public int compareTo(Call other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
        }
    }

    static Call toCall(ApiRequest request) {
        Matcher m = NAMESPACED.matcher(request.path());
        if (!m.matches()) {
            return new Call("", "CLUSTER-SCOPED " + request.path(), request.method());
        }
        String group = m.group(1) == null ? "" : m.group(1);
        String resource = m.group(2) + (m.group(4) == null ? "" : "/" + m.group(4));
        boolean named = m.group(3) != null;
        String query = m.group(5) == null ? "" : m.group(5);
        String verb = switch (request.method()) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> request.method();
        };
        return new Call(group, resource, verb);
    }

    private static List<PolicyRule> concat(List<PolicyRule> a, List<PolicyRule> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    static boolean granted(Call call, List<PolicyRule> rules) {
        return rules.stream()
                .anyMatch(rule -> rule.getApiGroups().contains(call.group())
                        && rule.getResources().contains(call.resource())
                        && rule.getVerbs().contains(call.verb()));
    }

    @Test
    void everyCallTheManagerMakesIsGrantedByItsRolesAndNothingMoreIsGranted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        harness.kubelet.scenario(1002, Scenarios.heldMidBuild(release));
        harness.kubelet.scenario(1003, Scenarios.runsUntilDeleted());
        // With registry credentials: their pull Secret is created, owned and deleted too (1002 by the adopter).
        harness.gitlab.enqueue(TestJob.builder(1001)
                .registryCredentials("registry.example.com", "gitlab-ci-token", "glcbt-64_RbacTestRegistryPass")
                .build());
        harness.gitlab.enqueue(TestJob.builder(1002)
                .registryCredentials("registry.example.com", "gitlab-ci-token", "glcbt-64_RbacTestRegistryPass")
                .build());
        harness.gitlab.enqueue(TestJob.builder(1003).build());
        harness.kubelet.scenario(1004, Scenarios.imagePullError());
        harness.gitlab.enqueue(TestJob.builder(1004).build());
        harness.createManagerPod("shop-manager-a");
        harness.createManagerPod("shop-manager-b");
        // Job 1005's pod is never made by the first manager (it dies after writing the job's record): the second
        // finds the record (secrets list) and claims it (secrets update).
        PodCreateHold hold = new PodCreateHold(false);
        RunnerManager first = harness.startManager("shop-manager-a", harness.config(10), hold);
        harness.awaitDone(1001, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.gitlab.traceText(1002).contains("ok  shop/cart")
                        && harness.gitlab.traceText(1003).contains("tick 2"));
        harness.gitlab.cancel(1003);
        harness.awaitDone(1003, Duration.ofSeconds(30));
        harness.awaitDone(1004, Duration.ofSeconds(30));
        hold.arm();
        harness.gitlab.enqueue(TestJob.builder(1005).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> hold.held() == 1);
        first.crash();
        RunnerManager second = harness.startManager("shop-manager-b");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "shop-manager-b".equals(PodAdoption.managerOf(harness.jobPod(1002))));
        release.countDown();
        harness.awaitDone(1002, Duration.ofSeconds(30));
        harness.awaitDone(1005, Duration.ofSeconds(30));
        assertThat(harness.gitlab.state(1005)).isEqualTo(TestGitLab.State.SUCCESS);
        second.handOverAndStop();

        Set<Call> calls = new TreeSet<>();
        harness.kube.requests().stream()
                .filter(r -> ManagerHarness.MANAGER_USER_AGENT.equals(r.userAgent()))
                .map(ManagerCallsRbacTest::toCall)
                .forEach(calls::add);

        assertThat(calls)
                .as("the manager's calls were recorded")
                .extracting(Call::toString)
                .contains(
                        "core/pods create",
                        "core/pods/log get",
                        "core/secrets create",
                        "coordination.k8s.io/leases create",
                        "coordination.k8s.io/leases update",
                        "core/pods patch");
        List<Call> refused = calls.stream()
                .filter(call -> !granted(
                        call,
                        // The Lease Role also lets each manager mark its own pod's deletion cost (DeletionCost): the
                        // patch is only there; its get is also the job Role's.
                        call.group().equals("coordination.k8s.io") || call.equals(new Call("", "pods", "patch"))
                                ? ManagerPermissions.LEASE_RULES
                                : concat(ManagerPermissions.JOB_RULES, ManagerPermissions.QUOTA_RULES)))
                .toList();
        assertThat(refused)
                .as("calls the managers' Roles would refuse, of all calls %s", calls)
                .isEmpty();

        Set<Call> granted = new TreeSet<>();
        // capacityAware is quota by default: the executor namespace's Role grants QUOTA_RULES too (DesiredRbac).
        for (PolicyRule rule : concat(
                concat(ManagerPermissions.JOB_RULES, ManagerPermissions.QUOTA_RULES), ManagerPermissions.LEASE_RULES)) {
            for (String resource : rule.getResources()) {
                rule.getVerbs()
                        .forEach(
                                verb -> granted.add(new Call(rule.getApiGroups().get(0), resource, verb)));
            }
        }
        // pods/exec reads a build's log file only after a log rotation gap (manager.trace.KubernetesLogFiles); the
        // harness plays that file without exec (SimulatedLogFiles), so no call here can show it.
        granted.removeIf(call -> call.resource().equals("pods/exec"));
        assertThat(calls)
                .as("least privilege: every granted verb is one the manager uses")
                .isEqualTo(granted);
    }
}
