package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobVariable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The variables a job's containers see, in gitlab-runner's order (runner-defined, then the job's, then the runner's
 * {@code environment}), one per name with the last definition winning, each marked secret or not.
 *
 * <p>Secret: the job marks it non-public, masked or file; or its value contains the job token or the value of
 * another secret variable (a public variable that embeds a password is still a password).
 */
public final class JobVariables {
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    /** GitLab masks only values of at least 8 characters; shorter ones would match too much. */
    private static final int MIN_SENSITIVE_LENGTH = 8;

    /** One variable as a container gets it. */
    public record Variable(String key, String value, boolean secret, boolean file) {
        @Override
        public String toString() {
            return "Variable[" + key + (secret ? "=<secret>" : "=" + value) + "]";
        }
    }

    private final List<Variable> variables;
    private final Set<String> sensitiveValues;

    private JobVariables(List<Variable> variables, Set<String> sensitiveValues) {
        this.variables = variables;
        this.sensitiveValues = sensitiveValues;
    }

    public static JobVariables of(JobPayload job, Map<String, String> predefined, List<String> environment) {
        Set<String> sensitive = sensitiveValues(job);
        Map<String, Variable> byKey = new LinkedHashMap<>();
        predefined.forEach((key, value) -> put(byKey, new Variable(key, value, false, false)));
        for (JobVariable variable : job.variables()) {
            checkName(variable.key(), "variable");
            boolean secret = variable.isSecret() || containsAny(variable.value(), sensitive);
            put(byKey, new Variable(variable.key(), variable.value(), secret, variable.file()));
        }
        for (String entry : environment) {
            int equals = entry.indexOf('=');
            String key = equals < 0 ? entry : entry.substring(0, equals);
            String value = equals < 0 ? "" : entry.substring(equals + 1);
            checkName(key, "runner environment entry");
            put(byKey, new Variable(key, value, containsAny(value, sensitive), false));
        }
        return new JobVariables(List.copyOf(byKey.values()), sensitive);
    }

    /** All variables, for the build container. */
    public List<Variable> all() {
        return variables;
    }

    /**
     * What a service container gets: like gitlab-runner, no file variables, and nothing the job marked internal
     * ({@code public: false}) such as {@code CI_REPOSITORY_URL}. Masked public variables stay, as secrets.
     */
    public List<Variable> forServices(JobPayload job) {
        Set<String> internal = new java.util.HashSet<>();
        job.variables().forEach(v -> {
            if (!v.isPublic() || v.file()) {
                internal.add(v.key());
            } else {
                internal.remove(v.key());
            }
        });
        return variables.stream()
                .filter(v -> !v.file() && !internal.contains(v.key()))
                .toList();
    }

    /** A service's own variables, marked secret by the same rules as the job's. */
    public List<Variable> serviceVariables(List<JobVariable> own) {
        List<Variable> result = new ArrayList<>();
        for (JobVariable variable : own) {
            checkName(variable.key(), "service variable");
            result.add(new Variable(
                    variable.key(),
                    variable.value(),
                    variable.masked() || variable.file() || containsAny(variable.value(), sensitiveValues),
                    false));
        }
        return result;
    }

    /** The last value of a variable, secret or not, for decisions such as {@code GIT_STRATEGY}. */
    public java.util.Optional<String> value(String key) {
        return variables.stream()
                .filter(v -> v.key().equals(key))
                .map(Variable::value)
                .findFirst();
    }

    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        variables.forEach(v -> map.put(v.key(), v.value()));
        return map;
    }

    public boolean isSecret(String key) {
        return variables.stream().anyMatch(v -> v.key().equals(key) && v.secret());
    }

    /** Values that must never appear in a Pod spec: the token and every secret variable's value. */
    public Set<String> sensitiveValues() {
        return sensitiveValues;
    }

    private static Set<String> sensitiveValues(JobPayload job) {
        Set<String> values = new java.util.LinkedHashSet<>();
        values.add(job.token());
        for (JobVariable variable : job.variables()) {
            if (variable.isSecret() && variable.value().length() >= MIN_SENSITIVE_LENGTH) {
                values.add(variable.value());
            }
        }
        return Set.copyOf(values);
    }

    private static boolean containsAny(String value, Set<String> sensitive) {
        return sensitive.stream().anyMatch(value::contains);
    }

    private static void put(Map<String, Variable> byKey, Variable variable) {
        // Last definition wins and takes the last position, as in gitlab-runner's de-duplication.
        byKey.remove(variable.key());
        byKey.put(variable.key(), variable);
    }

    private static void checkName(String key, String what) {
        if (!ENV_NAME.matcher(key).matches()) {
            throw new JobPodException(what + " \"" + ServiceHostnames.printable(key) + "\" is not a valid "
                    + "environment variable name; use letters, digits and '_', not starting with a digit");
        }
    }
}
