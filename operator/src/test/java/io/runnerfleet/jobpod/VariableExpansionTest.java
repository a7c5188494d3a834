package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's {@code os.Expand} with gitlab-runner's {@code Variables.Get} ({@code common/spec/variables.go}). */
class VariableExpansionTest {
    static final Map<String, String> VARS = Map.of("A", "a", "B_2", "b", "REF", "$A", "EMPTY", "");

    static String expand(String value) {
        return VariableExpansion.expand(value, name -> VariableExpansion.get(name, VARS::get));
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(
            delimiter = '|',
            emptyValue = "",
            nullValues = "NULL",
            value = {
                "plain|plain",
                "$A|a",
                "${A}|a",
                "x$A-y|xa-y",
                "$A$B_2|ab",
                "${A}B_2|aB_2",
                "$AB_2|''",
                // unknown names are empty, as os.Expand with a mapping that finds nothing
                "[$UNKNOWN]|[]",
                "[${UNKNOWN}]|[]",
                // no recursion: REF's value as written
                "$REF|$A",
                // $$ is a dollar (gitlab-runner maps the name $ to itself)
                "$$A|$A",
                "$${A}|${A}",
                "a$$|a$",
                "$$$A|$a",
                // shell specials are empty, braced or not
                "x$1y|xy",
                "x${1}y|xy",
                "x$@y|xy",
                "x$?y|xy",
                "x$-y|xy",
                "x${*}y|xy",
                // not a name: the dollar stays
                "$(cmd)|$(cmd)",
                "$ A|$ A",
                "a$|a$",
                "$/x|$/x",
                "é$Aé|éaé",
                // bad syntax is eaten, as Go does
                "x${}y|xy",
                "x${A|xA",
                // anything up to the brace is the name
                "${A:-d}|''",
                "${A B}|''",
            })
    void expandsAsGitlabRunner(String value, String expected) {
        assertThat(expand(value)).isEqualTo(expected);
    }
}
