package io.contactmirror.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a database that is down, restarting or out of connections from a failing statement. Spring translates the
 * same outage into many types (a rollback on a dead connection surfaces as a JPA system exception), so the whole
 * cause chain is read, down to the SQL state.
 */
public final class DatabaseFailures {

    public static final String MESSAGE = "The database is unavailable; retry in a few seconds";
    public static final String RETRY_AFTER_SECONDS = "5";

    private DatabaseFailures() {}

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && (unavailableState(sql.getSQLState()) || closedConnection(sql))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hikari's answer (without an SQL state) when a statement or rollback runs on a connection the pool has already
     * marked broken because the server went away under it.
     */
    private static boolean closedConnection(SQLException sql) {
        return sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage());
    }

    /** Class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now). */
    private static boolean unavailableState(String state) {
        return state != null
                && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }
}
