package io.contactmirror.connection.cobalt;

import it.auties.whatsapp.api.Whatsapp;
import java.lang.reflect.Field;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cobalt 0.0.10 registers a JVM shutdown hook for each client the first time its socket opens and never removes it,
 * so every client of every connection attempt (with its whole store) would stay in memory until the JVM exits. A
 * stopped session removes its client's hook. The hook lives in private fields (Cobalt runs on the class path, so
 * they can be read); {@code LocalEndpointTest} pins this against the Cobalt version in use.
 */
final class CobaltShutdownHook {

    private static final Logger log = LoggerFactory.getLogger(CobaltShutdownHook.class);

    private CobaltShutdownHook() {}

    /** The hook Cobalt registered for this client, if its socket ever opened. */
    static Optional<Thread> of(Whatsapp client) {
        try {
            Field handlerField = Whatsapp.class.getDeclaredField("socketHandler");
            handlerField.setAccessible(true);
            Object handler = handlerField.get(client);
            Field hookField = handler.getClass().getDeclaredField("shutdownHook");
            hookField.setAccessible(true);
            return Optional.ofNullable((Thread) hookField.get(handler));
        } catch (ReflectiveOperationException | RuntimeException ex) {
            log.warn(
                    "Cannot find Cobalt's shutdown hook of a WhatsApp client (another Cobalt version?): {}",
                    ex.toString());
            return Optional.empty();
        }
    }

    /** Removes the client's hook, so the client can be garbage collected once the session lets go of it. */
    static void release(Whatsapp client) {
        of(client).ifPresent(hook -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ex) {
                // The JVM is shutting down: the hook runs anyway.
            }
        });
    }
}
