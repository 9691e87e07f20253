package io.contactmirror;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Each top-level package is a module: dependencies between them form no cycle and use only their public API. */
class ModuleStructureTest {

    @Test
    void modulesHaveNoCyclesAndNoReachIns() {
        ApplicationModules.of(ContactMirrorApplication.class).verify();
    }
}
