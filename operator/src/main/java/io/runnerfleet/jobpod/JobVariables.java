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
 * The variables a job's containers see, in gitlab-runner's order ({@code common/build.go} {@code GetAllVariables}):
 * the runner's own and its {@code environment} and the runner's defaults first, then the job's, then the runner's
 * variables that come after the job's. One per name, the last definition winning; so a job's variable overrides the
 * runner's {@code environment}, and the runner's version variables override the job's.
 *
 * <p>Values are expanded once, as gitlab-runner's {@code Variables.Expand} does ({@link VariableExpansion}): each
 * value that is not {@code raw} gets the other variables' values as they were written (no recursion); a reference
 * to a file variable becomes the path of its file, never its content.
 *
 * <p>Secret: the job marks it non-public, masked or file; or its expanded value contains the job token or the value
 * of another secret variable (a public variable that embeds a password is still a password).
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
    private final JobPayload job;

    private JobVariables(List<Variable> variables, Set<String> sensitiveValues, JobPayload job) {
        this.variables = variables;
        this.sensitiveValues = sensitiveValues;
        this.job = job;
    }

    /**
     * @param before      the runner's variables before the job's: {@code environment} entries ({@code KEY=value})
     *                    and the predefined defaults, in this order
     * @param after       the runner's variables after the job's, which the job cannot override
     */
    public static JobVariables of(JobPayload job, List<Map.Entry<String, String>> before, Map<String, String> after) {
        return of(job, before, Map.of(), after, key -> false);
    }

    /**
     * @param beforeFiles      file variables after {@code before} and before the job's, public and raw: gitlab-runner's
     *                         {@code CI_SERVER_TLS_*_FILE} ({@code GetCITLSVariables}), content by name
     * @param replacedByRunner the job's variables to leave out: gitlab-runner's {@code getNonFeatureFlagJobVariables}
     *                         leaves out a job's {@code FF_*} variables, whose resolved values the runner puts first
     */
    public static JobVariables of(
            JobPayload job,
            List<Map.Entry<String, String>> before,
            Map<String, String> beforeFiles,
            Map<String, String> after,
            java.util.function.Predicate<String> replacedByRunner) {
        Set<String> sensitive = sensitiveValues(job);
        Map<String, Variable> byKey = new LinkedHashMap<>();
        Set<String> raw = new java.util.HashSet<>();
        before.forEach(e -> put(byKey, raw, new Variable(e.getKey(), e.getValue(), false, false), false));
        beforeFiles.forEach((k, v) -> put(byKey, raw, new Variable(k, v, false, true), true));
        for (JobVariable variable : job.variables()) {
            checkName(variable.key(), "variable");
            if (replacedByRunner.test(variable.key())) {
                continue;
            }
            put(
                    byKey,
                    raw,
                    new Variable(variable.key(), variable.value(), variable.isSecret(), variable.file()),
                    variable.raw());
        }
        after.forEach((key, value) -> put(byKey, raw, new Variable(key, value, false, false), false));

        // One pass against the values as written: gitlab-runner's Variables.Expand (common/spec/variables.go).
        Map<String, Variable> written = Map.copyOf(byKey);
        List<Variable> expanded = new ArrayList<>();
        for (Variable v : byKey.values()) {
            boolean[] fromSecret = new boolean[1];
            String value = raw.contains(v.key()) ? v.value() : expandTracking(v.value(), written, fromSecret);
            expanded.add(new Variable(
                    v.key(), value, v.secret() || fromSecret[0] || containsAny(value, sensitive), v.file()));
        }
        return new JobVariables(List.copyOf(expanded), sensitive, job);
    }

    /**
     * Expands {@code value} against {@code source}, noting in {@code fromSecret} whether it took the value of a
     * secret variable: such a value is a secret too, however short (a file variable gives its path, no secret).
     */
    private static String expandTracking(String value, Map<String, Variable> source, boolean[] fromSecret) {
        return VariableExpansion.expand(
                value,
                name -> VariableExpansion.get(name, key -> {
                    Variable referenced = source.get(key);
                    if (referenced != null
                            && referenced.secret()
                            && !referenced.file()
                            && !referenced.value().isEmpty()) {
                        fromSecret[0] = true;
                    }
                    return get(source, key);
                }));
    }

    /** The runner's {@code environment} entries ({@code KEY=value}), checked, in order. */
    public static List<Map.Entry<String, String>> environment(List<String> environment) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (String entry : environment) {
            int equals = entry.indexOf('=');
            String key = equals < 0 ? entry : entry.substring(0, equals);
            String value = equals < 0 ? "" : entry.substring(equals + 1);
            checkName(key, "runner environment entry");
            entries.add(Map.entry(key, value));
        }
        return entries;
    }

    /**
     * {@code value} with {@code $VAR} / {@code ${VAR}} expanded against the final variables, as gitlab-runner's
     * {@code GetAllVariables().ExpandValue} does for image names, service aliases, volumes and cache keys.
     */
    public String expand(String value) {
        Map<String, Variable> byKey = new java.util.HashMap<>();
        variables.forEach(v -> byKey.put(v.key(), v));
        return VariableExpansion.expand(value, name -> VariableExpansion.get(name, k -> get(byKey, k)));
    }

    /**
     * {@code value} expanded against the job's own variables only, as written: gitlab-runner expands pod labels and
     * annotations with {@code Build.Variables.ExpandValue} ({@code executors/kubernetes/kubernetes.go}).
     */
    public String expandWithJobVariables(String value) {
        Map<String, Variable> byKey = new java.util.HashMap<>();
        job.variables().forEach(v -> byKey.put(v.key(), new Variable(v.key(), v.value(), v.isSecret(), v.file())));
        return VariableExpansion.expand(value, name -> VariableExpansion.get(name, k -> get(byKey, k)));
    }

    /** gitlab-runner's {@code Variables.Get}: a file variable is the path of its file. */
    private static String get(Map<String, Variable> byKey, String key) {
        Variable v = byKey.get(key);
        if (v == null) {
            return "";
        }
        return v.file() ? JobPaths.FILES_DIR + "/" + v.key() : v.value();
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

    /**
     * A service's own variables, marked secret by the same rules as the job's. Expanded as gitlab-runner's
     * {@code GetServiceVariables} does ({@code common/build.go}): against all of the job's variables as they end up,
     * then the service's own as written.
     */
    public List<Variable> serviceVariables(List<JobVariable> own) {
        Map<String, Variable> source = new java.util.HashMap<>();
        variables.forEach(v -> source.put(v.key(), v));
        own.forEach(v -> source.put(v.key(), new Variable(v.key(), v.value(), false, v.file())));
        List<Variable> result = new ArrayList<>();
        for (JobVariable variable : own) {
            checkName(variable.key(), "service variable");
            boolean[] fromSecret = new boolean[1];
            String value = variable.raw() ? variable.value() : expandTracking(variable.value(), source, fromSecret);
            result.add(new Variable(
                    variable.key(),
                    value,
                    variable.masked() || variable.file() || fromSecret[0] || containsAny(value, sensitiveValues),
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

    private static void put(Map<String, Variable> byKey, Set<String> raw, Variable variable, boolean isRaw) {
        // Last definition wins and takes the last position, as in gitlab-runner's de-duplication.
        byKey.remove(variable.key());
        byKey.put(variable.key(), variable);
        if (isRaw) {
            raw.add(variable.key());
        } else {
            raw.remove(variable.key());
        }
    }

    private static void checkName(String key, String what) {
        if (!ENV_NAME.matcher(key).matches()) {
            throw new JobPodException(what + " \"" + ServiceHostnames.printable(key) + "\" is not a valid "
                    + "environment variable name; use letters, digits and '_', not starting with a digit");
        }
    }
}
