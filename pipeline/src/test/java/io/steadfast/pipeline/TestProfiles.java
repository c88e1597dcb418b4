package io.steadfast.pipeline;

import io.steadfast.pipeline.config.ProfileException;
import io.steadfast.pipeline.profile.Profile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the test profiles and of the repository's examples, and a loader with the real registry. */
public final class TestProfiles {
    private TestProfiles() {}

    /** A profile under src/test/resources/profiles. */
    public static Path resource(String name) {
        try {
            return Path.of(TestProfiles.class.getResource("/profiles/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's examples directory. */
    public static Path examples() {
        String root = System.getenv("STEADFAST_SOURCE_ROOT");
        Path p = root != null ? Path.of(root, "examples") : Path.of("..", "examples");
        if (!Files.isDirectory(p)) throw new IllegalStateException("no examples directory at " + p.toAbsolutePath());
        return p;
    }

    public static Profile load(Path file) throws ProfileException {
        return SteadfastComponent.create().profileLoader().load(file);
    }

    /** Writes {@code text} to a fresh profile file in {@code dir}. */
    public static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
