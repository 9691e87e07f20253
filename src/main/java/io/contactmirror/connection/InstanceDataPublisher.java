package io.contactmirror.connection;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Hands what sessions learn to the contact mirror as application events, synchronously on the engine's thread:
 * a session's events are applied in the order it reported them, and a sync counts as complete only after its
 * data is stored.
 */
@Component
class InstanceDataPublisher {

    private final ApplicationEventPublisher events;

    InstanceDataPublisher(ApplicationEventPublisher events) {
        this.events = events;
    }

    void publish(Object event) {
        events.publishEvent(event);
    }
}
