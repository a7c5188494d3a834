package io.runnerfleet.operator;

import io.runnerfleet.desired.OperatorDefaults;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Every option of {@code runner-fleet operator}, declared once: the CLI builds its options (and their environment
 * variables and defaults) from these, and README.md's table "The operator's flags" must say the same
 * (OperatorOptionsReadmeTest prints the expected table when it does not). Descriptions are Markdown, which --help
 * shows without the backticks.
 */
public enum OperatorOption {
    WATCH_NAMESPACES(
            "--watch-namespaces",
            "NS[,NS...]",
            String.class,
            "RUNNER_FLEET_WATCH_NAMESPACES",
            () -> "",
            "all",
            "namespaces whose RunnerFleets are reconciled (chart: `watchNamespaces`, which also turns the "
                    + "ClusterRole into Roles in those namespaces)"),
    LEADER_ELECTION(
            "--leader-election",
            null,
            boolean.class,
            "RUNNER_FLEET_LEADER_ELECTION",
            () -> "false",
            "off (chart: on)",
            "only the holder of the Lease `" + OperatorConfig.LEASE_NAME + "` in `POD_NAMESPACE` (identity "
                    + "`POD_NAME`) reconciles; needed with `replicaCount` > 1. Standbys are ready (`/readyz` says "
                    + "`ok: standby, leader is ...`) and take over when the leader stops (it releases the Lease) or "
                    + "stops renewing it (15 s)"),
    HEALTH_PORT(
            "--health-port",
            "PORT",
            int.class,
            "RUNNER_FLEET_HEALTH_PORT",
            () -> Integer.toString(OperatorConfig.DEFAULT_HEALTH_PORT),
            Integer.toString(OperatorConfig.DEFAULT_HEALTH_PORT),
            "`/healthz`, `/readyz` and `/metrics` (JOSDK metrics and `runner_fleet_fleet_ready{namespace,fleet}`, "
                    + "1 while a fleet is Ready); -1 serves none"),
    MANAGER_IMAGE(
            "--manager-image",
            "IMAGE",
            String.class,
            "RUNNER_FLEET_MANAGER_IMAGE",
            () -> OperatorDefaults.forThisBuild().managerImage(),
            "the operator's own image",
            "manager image for fleets that name none (chart: `managerImage`)"),
    LOG_LEVEL(
            "--log-level",
            "LEVEL",
            String.class,
            "RUNNER_FLEET_LOG_LEVEL",
            () -> "INFO",
            "INFO",
            "TRACE, DEBUG, INFO, WARN or ERROR (chart: `logLevel`)"),
    RESYNC_INTERVAL(
            "--resync-interval",
            "DURATION",
            Duration.class,
            "RUNNER_FLEET_RESYNC_INTERVAL",
            OperatorConfig.DEFAULT_RESYNC::toString,
            OperatorConfig.DEFAULT_RESYNC.toString(),
            "longest time between two reconciliations of an unchanged fleet, ISO-8601; a resync of an unchanged "
                    + "fleet writes nothing");

    private final String flag;
    private final String paramLabel;
    private final Class<?> type;
    private final String env;
    private final Supplier<String> defaultValue;
    private final String defaultText;
    private final String description;

    OperatorOption(
            String flag,
            String paramLabel,
            Class<?> type,
            String env,
            Supplier<String> defaultValue,
            String defaultText,
            String description) {
        this.flag = flag;
        this.paramLabel = paramLabel;
        this.type = type;
        this.env = env;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
    }

    public String flag() {
        return flag;
    }

    /** What the value looks like ({@code PORT}); null for a switch, which takes none. */
    public String paramLabel() {
        return paramLabel;
    }

    /** What the CLI converts the value to. */
    public Class<?> type() {
        return type;
    }

    public boolean isSwitch() {
        return type == boolean.class;
    }

    /** The environment variable read when the option is not given. */
    public String env() {
        return env;
    }

    /** The value used when neither the option nor its environment variable is given. */
    public String defaultValue() {
        return defaultValue.get();
    }

    /** The default in words, for people. */
    public String defaultText() {
        return defaultText;
    }

    /** What the option does, in Markdown. */
    public String description() {
        return description;
    }
}
