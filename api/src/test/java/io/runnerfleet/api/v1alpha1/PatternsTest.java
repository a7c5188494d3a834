package io.runnerfleet.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternsTest {
    @ParameterizedTest
    @CsvSource({
        "QUANTITY, 500m, true",
        "QUANTITY, 2, true",
        "QUANTITY, 2Gi, true",
        "QUANTITY, 1.5Gi, true",
        "QUANTITY, 2Gx, false",
        "QUANTITY, -1, false",
        "QUANTITY, '', false",
        "IP_ADDRESS, 10.0.0.2, true",
        "IP_ADDRESS, 10.0.0.300, false",
        "IP_ADDRESS, fd00::53, true",
        "IP_ADDRESS, ::1, true",
        "IP_ADDRESS, 2001:db8:0:0:0:0:0:1, true",
        "IP_ADDRESS, dns.example, false",
        "DURATION, 3s, true",
        "DURATION, 1m30s, true",
        "DURATION, 500ms, true",
        "DURATION, 3, false",
        "DNS1123_LABEL, gitlab, true",
        "DNS1123_LABEL, Gitlab, false",
        "DNS1123_LABEL, -a, false",
        "SEARCH_DOMAIN, svc.cluster.local, true",
        "SEARCH_DOMAIN, 'bad domain', false",
        "HTTP_URL, http://gitlab.example.com/, true",
        "HTTP_URL, gitlab.example.com, false",
        "ENV_ENTRY, FOO=bar, true",
        "ENV_ENTRY, =bar, false"
    })
    void patternsAcceptWhatKubernetesAccepts(String name, String value, boolean matches) throws Exception {
        String regex = (String) Patterns.class.getField(name).get(null);
        assertThat(Pattern.compile(regex).matcher(value).find())
                .as("%s ~ %s", value, name)
                .isEqualTo(matches);
    }
}
