package io.contactmirror.connection.engine;

/** A live query failed because the session is not logged in or the engine did not answer in time. */
public class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message) {
        super(message);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
