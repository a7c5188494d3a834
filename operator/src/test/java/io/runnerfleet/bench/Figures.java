package io.runnerfleet.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures a run produced, each printed as {@code name=value unit} the moment it is known. */
public final class Figures {
    /** One figure. */
    public record Figure(String name, double value, String unit) {
        public String line() {
            return name + "=" + format(value) + " " + unit;
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final PrintStream out;

    public Figures(PrintStream out) {
        this.out = out;
    }

    public synchronized void add(String name, double value, String unit) {
        Figure f = new Figure(name, value, unit);
        figures.add(f);
        if (out != null) {
            out.println(f.line());
            out.flush();
        }
    }

    public synchronized List<Figure> all() {
        return List.copyOf(figures);
    }

    public synchronized Figure get(String name) {
        return figures.stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no figure " + name));
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
