package io.contactmirror.connection;

/** Connection state of an instance, persisted on its row so every replica and the API see the same. */
@io.swagger.v3.oas.annotations.media.Schema(name = "InstanceStatus", enumAsRef = true)
public enum InstanceStatus {
    CREATED,
    PAIRING,
    CONNECTING,
    CONNECTED,
    DISCONNECTED,
    RECONNECTING,
    LOGGED_OUT,
    FAILED
}
