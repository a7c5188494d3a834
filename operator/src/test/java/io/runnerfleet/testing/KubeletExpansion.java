package io.runnerfleet.testing;

import java.util.Map;

/**
 * What the kubelet does to a container's command, args and env values before it starts the container: {@code $$}
 * becomes {@code $}, {@code $(NAME)} becomes the value of the container's variable NAME when it has one and stays
 * as written otherwise, any other {@code $} stays (Kubernetes' {@code third_party/forked/golang/expansion}). Tests
 * that run a generated script apply it first, so they run what a real container would.
 */
public final class KubeletExpansion {
    private KubeletExpansion() {}

    public static String expand(String input, Map<String, String> env) {
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(input, i, input.length());
                    break;
                }
                String name = input.substring(i + 2, close);
                String value = env.get(name);
                out.append(value != null ? value : input.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
