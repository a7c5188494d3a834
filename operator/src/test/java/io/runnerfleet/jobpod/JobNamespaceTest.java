package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * KUBERNETES_NAMESPACE_OVERWRITE as gitlab-runner's executors/kubernetes/overwrites.go evaluates it, plus our list of
 * namespaces the operator grants RBAC in.
 */
class JobNamespaceTest {
    private static final String EXECUTOR = "ci";

    private static JobVariables asking(String namespace) {
        ObjectNode job = minimal();
        if (namespace != null) {
            variable(job, JobNamespace.VARIABLE, namespace);
        }
        return JobVariables.of(TestJobs.read(job), List.of(), Map.of());
    }

    private static JobNamespace.Overwrite overwrite(String pattern, String allowed) {
        return new JobNamespace.Overwrite(pattern, allowed.isEmpty() ? List.of() : List.of(allowed.split(" ")));
    }

    @ParameterizedTest(name = "pattern [{0}], allowed [{1}], job asks [{2}] -> {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                // gitlab-runner: an empty expression disables the override, the variable is ignored
                "''           | ''           | ci-a | ci",
                // no variable, or an empty one: the executor's namespace
                "'^ci-'       | 'ci-a'       | null | ci",
                "'^ci-'       | 'ci-a'       | ''   | ci",
                // matches the expression and is listed
                "'^ci-'       | 'ci-a ci-b'  | ci-b | ci-b",
                // listed, no expression: the list alone allows
                "''           | 'ci-a'       | ci-a | ci-a",
                // the expression is found anywhere in the value, as Go's MatchString
                "'a'          | 'ci-a'       | ci-a | ci-a",
                // the executor's own namespace needs no listing
                "'^ci'        | ''           | ci   | ci",
            })
    void resolvesTheJobsNamespace(String pattern, String allowed, String asked, String expected) {
        assertThat(JobNamespace.resolve(EXECUTOR, overwrite(pattern, allowed), asking(asked)))
                .isEqualTo(expected);
    }

    @Test
    void aValueTheExpressionDoesNotMatchFailsTheJobAsGitlabRunnerDoes() {
        assertThatThrownBy(() -> JobNamespace.resolve(EXECUTOR, overwrite("^ci-", "ci-a"), asking("kube-system")))
                .isInstanceOf(JobPodException.class)
                .hasMessage("variable KUBERNETES_NAMESPACE_OVERWRITE: provided value \"kube-system\" does not match "
                        + "\"^ci-\" (spec.executor.namespaceOverwrite.pattern)");
    }

    @Test
    void aMatchingNamespaceOutsideTheListIsRefusedNamingTheFix() {
        assertThatThrownBy(() -> JobNamespace.resolve(EXECUTOR, overwrite("^ci-", "ci-a"), asking("ci-z")))
                .isInstanceOf(JobPodException.class)
                .hasMessage("variable KUBERNETES_NAMESPACE_OVERWRITE: namespace \"ci-z\" is not in "
                        + "spec.executor.namespaceOverwrite.allowed [ci-a]; the managers may only create Job Pods "
                        + "where the operator grants them RBAC: add it to the list");
    }

    @Test
    void anImportedExpressionWithoutAListAllowsNoOtherNamespace() {
        assertThatThrownBy(() -> JobNamespace.resolve(EXECUTOR, overwrite(".*", ""), asking("ci-a")))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("is not in spec.executor.namespaceOverwrite.allowed []");
    }

    @Test
    void aMaskedValueIsNeverQuoted() {
        ObjectNode job = minimal();
        variable(job, JobNamespace.VARIABLE, "secret-namespace").put("masked", true);
        JobVariables variables = JobVariables.of(TestJobs.read(job), List.of(), Map.of());
        assertThatThrownBy(() -> JobNamespace.resolve(EXECUTOR, overwrite("^ci-", "ci-a"), variables))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("provided value (masked)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-namespace"));
    }

    @Test
    void anInvalidExpressionNamesTheField() {
        assertThatThrownBy(() -> JobNamespace.resolve(EXECUTOR, overwrite("(", "ci-a"), asking("ci-a")))
                .isInstanceOf(JobPodException.class)
                .hasMessageStartingWith("spec.executor.namespaceOverwrite.pattern is not a regular expression");
    }

    @Test
    void theBuilderPutsThePodAndItsSecretsInTheJobsNamespaceAndRefusesOneNotAllowed() {
        ExecutorSpec executor = TestJobs.executor(
                "image: alpine:3.20\nnamespace: ci\nnamespaceOverwrite: {allowed: [ci-review], pattern: '^ci-'}");
        ObjectNode job = minimal();
        variable(job, JobNamespace.VARIABLE, "ci-review");
        TestJobs.variable(job, "DOCKER_AUTH_CONFIG", "{\"auths\": {\"registry.example.com\": {\"auth\": \"dTpw\"}}}");
        JobPodContext ctx = TestJobs.context(executor);

        JobPodResources resources = TestJobs.build(job, ctx);
        assertThat(JobPodBuilder.namespace(TestJobs.read(job), ctx)).isEqualTo("ci-review");
        assertThat(resources.pod().getMetadata().getNamespace()).isEqualTo("ci-review");
        assertThat(resources.secrets())
                .isNotEmpty()
                .allSatisfy(secret ->
                        assertThat(secret.getMetadata().getNamespace()).isEqualTo("ci-review"));

        ObjectNode unasked = minimal();
        assertThat(TestJobs.build(unasked, ctx).pod().getMetadata().getNamespace())
                .isEqualTo(ctx.namespace());

        ObjectNode refused = minimal();
        variable(refused, JobNamespace.VARIABLE, "kube-system");
        assertThatThrownBy(() -> JobPodBuilder.build(TestJobs.read(refused), ctx))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("does not match \"^ci-\" (spec.executor.namespaceOverwrite.pattern)");
    }
}
