package io.contactmirror.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says in one line which external database the service uses (without credentials). */
@Component
@ConditionalOnExpression("!'${spring.datasource.url:}'.isEmpty()")
class ConfiguredDatabaseLogger {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredDatabaseLogger.class);
    private final String url;

    ConfiguredDatabaseLogger(DataSourceProperties dataSource) {
        this.url = dataSource.getUrl();
    }

    @EventListener(ApplicationReadyEvent.class)
    void logDatabase() {
        log.info("Database: external PostgreSQL at {}", url.replaceAll("(?i)(password|user)=[^&]*", "$1=***"));
    }
}
