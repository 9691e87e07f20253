package io.contactmirror.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a failed embedded-database start into Boot's short report instead of a page of stack trace. */
class EmbeddedDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedDatabaseUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedDatabaseUnavailableException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Fix the above, or use an external database by setting spring.datasource.url.",
                cause);
    }
}
