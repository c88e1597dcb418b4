package io.steadfast.pipeline.stages;

import io.steadfast.pipeline.config.ConfigReader;
import java.util.Set;
import java.util.function.Function;

/**
 * A registry entry: everything the framework knows of one stage. {@link #configure} reads and checks
 * the stage's options once (problems go to the reader, so {@code steadfast check} can report them
 * without starting anything) and returns a recipe that makes the handler when the pipeline is built.
 */
public interface StageFactory {

    /** One line for {@code steadfast stages} and {@code steadfast check}. */
    String description();

    /** The option keys this stage accepts; any other key in its config object is reported. */
    Set<String> optionKeys();

    /** Reads the options (defaults come from {@code steadfast.stages.<name>} in reference.conf). */
    StageRecipe configure(ConfigReader options);

    /** What the stage needs from its profile (a UDP socket, SAs); none by default. */
    default Set<Need> needs() {
        return Set.of();
    }

    /** This factory, needing {@code needs}. */
    default StageFactory needing(Need... needs) {
        StageFactory self = this;
        Set<Need> set = Set.of(needs);
        return new StageFactory() {
            @Override
            public String description() {
                return self.description();
            }

            @Override
            public Set<String> optionKeys() {
                return self.optionKeys();
            }

            @Override
            public StageRecipe configure(ConfigReader options) {
                return self.configure(options);
            }

            @Override
            public Set<Need> needs() {
                return set;
            }
        };
    }

    /** A factory from a description, its option keys and a configure function. */
    static StageFactory of(String description, Set<String> optionKeys, Function<ConfigReader, StageRecipe> configure) {
        return new StageFactory() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public Set<String> optionKeys() {
                return optionKeys;
            }

            @Override
            public StageRecipe configure(ConfigReader options) {
                return configure.apply(options);
            }
        };
    }
}
