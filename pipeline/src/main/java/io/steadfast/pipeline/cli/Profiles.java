package io.steadfast.pipeline.cli;

import io.steadfast.pipeline.SteadfastComponent;
import io.steadfast.pipeline.config.Problem;
import io.steadfast.pipeline.config.ProfileException;
import io.steadfast.pipeline.profile.Profile;
import java.io.PrintStream;
import java.nio.file.Path;

/** Loads profiles for the commands and prints their problems one per line. */
final class Profiles {
    private Profiles() {}

    /** The checked profile, or null after printing every problem to {@code err}. */
    static Profile loadOrReport(Path file, PrintStream err) {
        try {
            return SteadfastComponent.create().profileLoader().load(file);
        } catch (ProfileException e) {
            for (Problem p : e.problems()) err.println(p);
            err.println(file + ": " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
            return null;
        }
    }
}
