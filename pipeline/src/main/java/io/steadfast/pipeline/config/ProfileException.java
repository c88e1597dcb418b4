package io.steadfast.pipeline.config;

import java.util.List;

/** A profile that cannot be used, with every problem found in it (not just the first). */
public final class ProfileException extends Exception {
    private final List<Problem> problems;

    public ProfileException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder s = new StringBuilder(problems.size() == 1 ? "1 problem" : problems.size() + " problems");
        s.append(" in the profile:");
        for (Problem p : problems) s.append(System.lineSeparator()).append("  ").append(p);
        return s.toString();
    }
}
