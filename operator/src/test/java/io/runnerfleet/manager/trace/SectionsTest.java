package io.runnerfleet.manager.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SectionsTest {
    private final Sections sections = new Sections(Clock.fixed(Instant.ofEpochSecond(1714557600), ZoneOffset.UTC));

    @Test
    void markersAreGitLabsBytes() {
        assertThat(sections.start("step_script")).isEqualTo("section_start:1714557600:step_script\r\033[0K");
        assertThat(sections.end("step_script")).isEqualTo("section_end:1714557600:step_script\r\033[0K");
        assertThat(Sections.start(1, "get_sources", true))
                .isEqualTo("section_start:1:get_sources[collapsed=true]\r\033[0K");
    }

    @Test
    void headerIsPrintedLikeGitLabsLogger() {
        assertThat(Sections.header("Preparing environment"))
                .isEqualTo("\033[0K\033[36;1mPreparing environment\033[0;m\033[0;m\n");
        assertThat(Sections.line("Running on p")).isEqualTo("\033[0KRunning on p\033[0;m\n");
    }

    @Test
    void stageDescriptions() {
        assertThat(Sections.description(Sections.STEP_SCRIPT))
                .isEqualTo("Executing \"step_script\" stage of the job script");
        assertThat(Sections.description(Sections.AFTER_SCRIPT)).isEqualTo("Running after_script");
        assertThat(Sections.description(Sections.GET_SOURCES)).isEqualTo("Getting source from Git repository");
        assertThat(Sections.description(Sections.UPLOAD_ARTIFACTS_ON_SUCCESS))
                .isEqualTo("Uploading artifacts for successful job");
        assertThat(Sections.description(Sections.CLEANUP_FILE_VARIABLES))
                .isEqualTo("Cleaning up project directory and file based variables");
    }

    @Test
    void rejectsNamesGitLabWouldNotParse() {
        assertThatThrownBy(() -> sections.start("step script")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sections.end("a:b")).isInstanceOf(IllegalArgumentException.class);
    }
}
