package io.runnerfleet.cli;

import io.fabric8.kubernetes.api.model.Secret;
import io.runnerfleet.base.TextFiles;
import io.runnerfleet.importer.FleetImport;
import io.runnerfleet.importer.HelmValues;
import io.runnerfleet.yaml.Yaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints an existing gitlab-runner {@code config.toml} (and the gitlab-runner Helm chart's values) as RunnerFleets,
 * one per {@code [[runners]]} entry, each after a token Secret with a placeholder. What has no counterpart is
 * listed on standard error; a token from the input is never printed.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Turns an existing gitlab-runner config.toml (and the gitlab-runner Helm "
                + "chart's values) into RunnerFleets, one per [[runners]] entry, each with a token Secret to fill in. "
                + "Keys without a counterpart are listed on standard error; tokens are never copied.")
final class ImportCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CONFIG.toml",
            description = "gitlab-runner's config.toml. May be left out when --values has runners.config.")
    private Path configFile;

    @Option(
            names = "--values",
            paramLabel = "VALUES.yaml",
            description = "Values of the gitlab-runner Helm chart (gitlabUrl, concurrent, checkInterval, replicas, "
                    + "runners.config, runners.secret, resources, nodeSelector, tolerations, ...).")
    private Path valuesFile;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Name of the fleet (default: the fleet named in the file, else the runner's name as a "
                    + "Kubernetes name). Only with a single [[runners]] entry.")
    private String name;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NAMESPACE",
            description = "Namespace of the fleet (default: the executor's namespace, else default).")
    private String namespace;

    @Option(
            names = "--token-secret",
            paramLabel = "NAME",
            description = "Secret holding the runner authentication token (default: runners.secret from the Helm "
                    + "values, else <name>-token). Only with a single [[runners]] entry.")
    private String tokenSecret;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            description = "Manager pods (default: replicas from the Helm values, else 1); config.toml does not say.")
    private Integer replicas;

    @Override
    public Integer call() {
        if (configFile == null && valuesFile == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "Missing CONFIG.toml: give gitlab-runner's config.toml, or --values VALUES.yaml with runners.config");
        }
        String configText = configFile == null ? null : TextFiles.read(configFile);
        HelmValues values =
                valuesFile == null ? null : HelmValues.read(valuesFile.toString(), TextFiles.read(valuesFile));
        FleetImport.Result result = new FleetImport()
                .run(
                        configFile == null ? null : configFile.toString(),
                        configText,
                        values,
                        new FleetImport.Options(name, namespace, tokenSecret, replicas));
        PrintWriter err = spec.commandLine().getErr();
        result.warnings().forEach(warning -> err.println("warning: " + warning));
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        for (FleetImport.ImportedFleet fleet : result.fleets()) {
            if (fleet.tokenSecret() != null) {
                out.print("---\n");
                out.print(secretYaml(
                        fleet.tokenSecret(),
                        fleet.fleet().getSpec().runner().name() == null
                                ? fleet.fleet().getMetadata().getName()
                                : fleet.fleet().getSpec().runner().name()));
            }
            out.print("---\n");
            out.print(fleet.yaml());
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** The Secret with a comment above its placeholder, saying what belongs there. */
    private static String secretYaml(Secret secret, String runner) {
        String key = secret.getStringData().keySet().iterator().next();
        String comment = "  # The runner authentication token (glrt-...) of runner \"" + runner + "\",\n"
                + "  # from GitLab (Settings > CI/CD > Runners). Replace the placeholder; keep the real token out of Git.\n";
        return Yaml.write(secret).replace("stringData:\n  " + key + ":", "stringData:\n" + comment + "  " + key + ":");
    }
}
