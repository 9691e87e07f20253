package io.contactmirror.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.jpa.JpaSystemException;

class DatabaseFailuresTest {

    @Test
    void recognisesAnOutageWhateverSpringTranslatedItInto() {
        assertThat(DatabaseFailures.isUnavailable(
                        new CannotGetJdbcConnectionException("no connection", new SQLException("refused", "08001"))))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new JpaSystemException(new RuntimeException(
                        "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")))))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new RuntimeException(
                        new SQLException("terminating connection due to administrator command", "57P01"))))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException(
                        new SQLException("I/O error", "08006", new ConnectException("refused")))))
                .isTrue();
    }

    @Test
    void leavesFailingStatementsAndBugsAlone() {
        assertThat(DatabaseFailures.isUnavailable(
                        new DataIntegrityViolationException("duplicate key", new SQLException("dup", "23505"))))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("syntax", "42601")))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("Connection is closed", "42000")))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new NullPointerException())).isFalse();
        // A client hanging up is not the database going away.
        assertThat(DatabaseFailures.isUnavailable(new java.io.IOException(new java.net.SocketException("Broken pipe"))))
                .isFalse();
    }
}
