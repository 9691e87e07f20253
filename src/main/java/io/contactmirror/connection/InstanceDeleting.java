package io.contactmirror.connection;

/**
 * An instance is about to be deleted. Published synchronously before its row goes, so the modules that keep
 * per-instance data remove it in small batches first instead of one cascading delete over millions of rows.
 */
public record InstanceDeleting(long instanceId) {}
