package io.runnerfleet.jobpod;

import java.util.function.Function;

/**
 * gitlab-runner's {@code $VAR} / {@code ${VAR}} expansion: {@code common/spec/variables.go} {@code ExpandValue} is
 * Go's {@code os.Expand} with {@code Variables.Get} as the mapping, and this is that, step for step. One pass, no
 * recursion: a value that names another variable gets that variable's value as it is written, not expanded again.
 *
 * <ul>
 *   <li>{@code $NAME} takes the longest run of {@code [A-Za-z0-9_]}; {@code ${NAME}} anything up to the first
 *       <code>}</code>; an unknown name becomes empty.</li>
 *   <li>{@code $$} becomes {@code $} (gitlab-runner maps the name {@code $} to itself); {@code $*}, {@code $#},
 *       {@code $@}, {@code $!}, {@code $?}, {@code $-}, {@code $0}..{@code $9} (and their {@code ${x}} forms) become
 *       empty.</li>
 *   <li>A {@code $} followed by anything else, or at the very end, stays; <code>${}</code> and an unclosed <code>${</code>
 *       are dropped, as Go drops them.</li>
 * </ul>
 */
public final class VariableExpansion {
    private VariableExpansion() {}

    /** {@code os.Expand(value, mapping)}. */
    public static String expand(String value, Function<String, String> mapping) {
        if (value == null || value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        for (int j = 0; j < value.length(); j++) {
            if (value.charAt(j) == '$' && j + 1 < value.length()) {
                out.append(value, i, j);
                String rest = value.substring(j + 1);
                int[] width = new int[1];
                String name = shellName(rest, width);
                if (name.isEmpty() && width[0] > 0) {
                    // Bad syntax ("${}" or an unclosed "${"): Go eats it.
                } else if (name.isEmpty()) {
                    out.append('$');
                } else {
                    out.append(mapping.apply(name));
                }
                j += width[0];
                i = j + 1;
            }
        }
        return out.append(value, i, value.length()).toString();
    }

    /**
     * gitlab-runner's {@code Variables.Get} for a name: {@code $} is itself, the shell's positional and special
     * parameters are empty, anything else is what {@code lookup} says (empty when unknown).
     */
    static String get(String name, Function<String, String> lookup) {
        if (name.equals("$")) {
            return "$";
        }
        if (name.length() == 1 && "*#@!?0123456789".indexOf(name.charAt(0)) >= 0) {
            return "";
        }
        String value = lookup.apply(name);
        return value == null ? "" : value;
    }

    private static boolean isShellSpecial(char c) {
        return "*#$@!?-0123456789".indexOf(c) >= 0;
    }

    private static boolean isAlphaNum(char c) {
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Go's {@code getShellName}: the name at the start of {@code s} and how many characters it took. */
    private static String shellName(String s, int[] width) {
        if (s.charAt(0) == '{') {
            if (s.length() > 2 && isShellSpecial(s.charAt(1)) && s.charAt(2) == '}') {
                width[0] = 3;
                return s.substring(1, 2);
            }
            for (int i = 1; i < s.length(); i++) {
                if (s.charAt(i) == '}') {
                    if (i == 1) {
                        width[0] = 2;
                        return "";
                    }
                    width[0] = i + 1;
                    return s.substring(1, i);
                }
            }
            width[0] = 1;
            return "";
        }
        if (isShellSpecial(s.charAt(0))) {
            width[0] = 1;
            return s.substring(0, 1);
        }
        int i = 0;
        while (i < s.length() && isAlphaNum(s.charAt(i))) {
            i++;
        }
        width[0] = i;
        return s.substring(0, i);
    }
}
