package io.contactmirror.connection;

/** What the API asked for an instance; the replica that owns its session carries it out. */
public enum DesiredState {
    RUNNING,
    STOPPED,
    LOGGED_OUT,
    DELETED
}
