package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.contactmirror.support.IntegrationTest;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/** Every page of contacts hydrates Contact and Chat: Hibernate must do it through its generated accessor. */
@IntegrationTest
class EntityAccessTest {

    @Autowired
    EntityManagerFactory entityManagerFactory;

    @ParameterizedTest
    @ValueSource(classes = {Contact.class, Chat.class})
    void isHydratedWithoutReflection(Class<?> entity) {
        var persister = entityManagerFactory
                .unwrap(SessionFactoryImplementor.class)
                .getMappingMetamodel()
                .getEntityDescriptor(entity);
        assertThat(persister.getRepresentationStrategy().getReflectionOptimizer())
                .as(
                        "%s has a private mapped field (Hibernate falls back to reflection, HHH000513)",
                        entity.getSimpleName())
                .isNotNull();
    }
}
