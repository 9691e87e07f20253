package io.contactmirror.connection;

/**
 * What customers can do to a sandbox account besides what a real phone does: size it, "scan" its QR code, and
 * inject changes or disconnects. Every call goes through the database, so it reaches the session on whichever
 * replica holds it.
 */
public interface SandboxControl {

    /** Sizes a new sandbox account; nulls take the configured defaults. */
    void configure(long instanceId, Long seed, Integer contacts, Integer groups);

    /** Simulates the phone scanning the QR code (or entering the pairing code). */
    void scan(long instanceId);

    /** Queues a change or a disconnect; the session delivers it after its initial sync. */
    void inject(long instanceId, SandboxEvent event);
}
