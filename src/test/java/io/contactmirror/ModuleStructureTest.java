package io.contactmirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/** Each top-level package is a module: dependencies between them form no cycle and use only their public API. */
class ModuleStructureTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(ContactMirrorApplication.class);

    @Test
    void modulesHaveNoCyclesAndNoReachIns() {
        MODULES.verify();
    }

    @Test
    void engineSpiStaysInsideTheConnectionModule() {
        ApplicationModule connection = MODULES.getModuleByName("connection").orElseThrow();
        var spi = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.contactmirror.connection.engine");

        assertThat(spi)
                .extracting(JavaClass::getSimpleName)
                .contains("WhatsAppEngine", "EngineSession", "SessionListener", "SessionRequest");
        assertThat(spi).noneMatch(type -> connection.isExposed(type.reflect()));
    }
}
