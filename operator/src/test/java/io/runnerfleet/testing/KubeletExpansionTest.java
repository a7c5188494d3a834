package io.runnerfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeletExpansionTest {
    @Test
    void doubledDollarsBecomeOneAndKnownReferencesTheirValue() {
        Map<String, String> env = Map.of("HOME", "/root");
        assertThat(KubeletExpansion.expand("kill -USR1 $$ $(HOME) $(NOPE) $x $(date +%s) $", env))
                .isEqualTo("kill -USR1 $ /root $(NOPE) $x $(date +%s) $");
        assertThat(KubeletExpansion.expand("kill -USR1 $$$$", env)).isEqualTo("kill -USR1 $$");
    }
}
