package io.contactmirror.connection;

/** Why a session ended, as far as reconnecting is concerned. */
public enum DisconnectReason {
    /** Network trouble or a server-side reset: reconnect with backoff. */
    CONNECTION_LOST(true),
    /** The session could not be established (no route, timeout): reconnect with backoff. */
    CONNECT_FAILED(true),
    /**
     * WhatsApp replaced this connection with another one of the same device (stream error conflict/replaced): the
     * socket manager checks its lease before reconnecting.
     */
    REPLACED(true),
    /** The account unlinked this device (or we logged out): stop, credentials are gone. */
    LOGGED_OUT(false),
    /** WhatsApp banned the account: stop. */
    BANNED(false),
    /** We closed it on purpose (disconnect, shutdown, handover): do nothing. */
    CLOSED(false);

    private final boolean reconnect;

    DisconnectReason(boolean reconnect) {
        this.reconnect = reconnect;
    }

    public boolean reconnect() {
        return reconnect;
    }
}
