package io.runnerfleet.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version and commit this jar was built as, from a resource Maven fills in. */
public final class BuildInfo {
    private static final Properties PROPERTIES = load();
    private static final String VERSION = value("version", "dev");
    private static final String REVISION = value("revision", "unknown");

    private BuildInfo() {}

    public static String version() {
        return VERSION;
    }

    /** The commit (gitlab-runner's {@code revision}), or {@code unknown} when the build was not told. */
    public static String revision() {
        return REVISION;
    }

    private static String value(String key, String fallback) {
        String value = PROPERTIES.getProperty(key, "").trim();
        return value.isEmpty() || value.startsWith("${") ? fallback : value;
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/runner-fleet-build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // the defaults below
        }
        return properties;
    }
}
