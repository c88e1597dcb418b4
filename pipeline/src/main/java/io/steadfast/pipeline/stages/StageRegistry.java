package io.steadfast.pipeline.stages;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Stage name to factory: the names a profile may list in a pipeline. Filled by Dagger's map
 * multibinding ({@link StagesModule}); tests may build one from any map.
 */
@Singleton
public final class StageRegistry {
    private final SortedMap<String, StageFactory> factories;

    @Inject
    public StageRegistry(Map<String, StageFactory> factories) {
        this.factories = Collections.unmodifiableSortedMap(new TreeMap<>(factories));
    }

    public Optional<StageFactory> find(String name) {
        return Optional.ofNullable(factories.get(name));
    }

    /** Every stage, sorted by name. */
    public SortedMap<String, StageFactory> all() {
        return factories;
    }
}
