package io.runnerfleet.manager.trace;

/** One container of the Job Pod whose log becomes one section of the trace. */
public record TraceContainer(String container, String section, String header) {
    public static final String PREPARE = "prepare";
    public static final String BUILD = "build";
    public static final String HELPER = "helper";

    /** The {@code prepare} init container: clone/fetch, dependencies, cache restore. */
    public static TraceContainer prepare() {
        return new TraceContainer(PREPARE, Sections.GET_SOURCES, Sections.description(Sections.GET_SOURCES));
    }

    /** The {@code build} container: before_script, script, after_script. */
    public static TraceContainer build() {
        return new TraceContainer(BUILD, Sections.STEP_SCRIPT, Sections.description(Sections.STEP_SCRIPT));
    }

    /** The {@code helper} container: cache archive and artifact upload, for a build that succeeded or failed. */
    public static TraceContainer helper(boolean buildSucceeded) {
        String section = buildSucceeded ? Sections.UPLOAD_ARTIFACTS_ON_SUCCESS : Sections.UPLOAD_ARTIFACTS_ON_FAILURE;
        return new TraceContainer(HELPER, section, Sections.description(section));
    }
}
