package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.List;

/** A container's environment from job variables, with secrets and files kept in the job's Secret. */
final class ContainerEnv {
    private ContainerEnv() {}

    /**
     * The env of {@code variables}: file variables become a path to a file in the Secret, secret ones a reference
     * to a Secret key named {@code secretPrefix + key}; both are added to {@code secret}.
     */
    static List<EnvVar> of(List<JobVariables.Variable> variables, String secretPrefix, JobSecretData secret) {
        List<EnvVar> env = new ArrayList<>();
        for (JobVariables.Variable variable : variables) {
            if (variable.file()) {
                secret.file(variable.key(), variable.value());
                env.add(literal(variable.key(), JobPaths.FILES_DIR + "/" + variable.key()));
            } else if (variable.secret()) {
                env.add(secret.env(variable.key(), secretPrefix + variable.key(), variable.value()));
            } else {
                env.add(literal(variable.key(), variable.value()));
            }
        }
        return env;
    }

    /** Kubernetes expands {@code $(NAME)} in env values; {@code $$} keeps a dollar literal. */
    private static EnvVar literal(String name, String value) {
        return new EnvVarBuilder()
                .withName(name)
                .withValue(value.replace("$", "$$"))
                .build();
    }
}
