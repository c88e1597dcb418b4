package io.steadfast.pipeline.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a profile so that all are reported at once. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    /** Records a problem at {@code origin} (file and line come from it). */
    public void add(ConfigOrigin origin, String key, String message) {
        String file = null;
        int line = -1;
        if (origin != null) {
            file = origin.filename() != null ? origin.filename()
                    : origin.resource() != null ? origin.resource() : origin.description();
            line = origin.lineNumber();
        }
        list.add(new Problem(file, line, key, message));
    }

    public void add(Problem problem) {
        list.add(problem);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws a {@link ProfileException} listing every problem, if there is any. */
    public void throwIfAny() throws ProfileException {
        if (!list.isEmpty()) throw new ProfileException(list);
    }
}
