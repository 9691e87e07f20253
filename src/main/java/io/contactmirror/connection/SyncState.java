package io.contactmirror.connection;

/** Whether the initial contact sync of an instance is still running, so clients need not guess from an empty list. */
public enum SyncState {
    IDLE,
    SYNCING,
    SYNCED
}
