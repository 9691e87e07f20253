package io.contactmirror.database;

/** The embedded PostgreSQL cannot start; the message says in one line what to do about it. */
class EmbeddedDatabaseUnavailableException extends RuntimeException {

    EmbeddedDatabaseUnavailableException(String message) {
        super(message);
    }

    EmbeddedDatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
