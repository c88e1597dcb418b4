package io.steadfast.pipeline;

import dagger.Component;
import io.steadfast.pipeline.profile.ProfileLoader;
import io.steadfast.pipeline.stages.StageRegistry;
import io.steadfast.pipeline.stages.StagesModule;
import javax.inject.Singleton;

/** The object graph: the stage registry and what reads profiles against it. */
@Singleton
@Component(modules = StagesModule.class)
public interface SteadfastComponent {

    StageRegistry stageRegistry();

    ProfileLoader profileLoader();

    /** The graph with every built-in stage. */
    static SteadfastComponent create() {
        return DaggerSteadfastComponent.create();
    }
}
