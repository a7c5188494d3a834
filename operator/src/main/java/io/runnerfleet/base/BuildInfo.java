package io.runnerfleet.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this jar was built as, from a resource Maven fills in. */
public final class BuildInfo {
    private static final Properties PROPERTIES = load();
    private static final String VERSION = PROPERTIES.getProperty("version", "dev");
    private static final String REVISION = PROPERTIES.getProperty("revision", "unknown");

    private BuildInfo() {}

    public static String version() {
        return VERSION;
    }

    /** The commit the jar was built from, when the build recorded it; else {@code unknown}. */
    public static String revision() {
        return REVISION;
    }

    private static Properties load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/runner-fleet-build.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties;
        } catch (IOException e) {
            return new Properties();
        }
    }
}
