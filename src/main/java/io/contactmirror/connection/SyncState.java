package io.contactmirror.connection;

/** Whether the initial contact sync of an instance is still running, so clients need not guess from an empty list. */
@io.swagger.v3.oas.annotations.media.Schema(name = "SyncState", enumAsRef = true)
public enum SyncState {
    IDLE,
    SYNCING,
    SYNCED
}
