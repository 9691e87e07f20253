package io.contactmirror.changelog;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes readers when changes of an instance commit. One connection per replica {@code LISTEN}s on
 * {@link ChangeLog#CHANNEL} (the writers' {@code pg_notify} is delivered at commit); a lost connection is reopened,
 * and every subscriber is woken after a reconnect since notifications may have been missed meanwhile. Readers still
 * poll at {@link ChangeLogProperties#pollInterval()} as a backstop, so a wake-up is a hint, never the only trigger.
 */
@Component
public class ChangeNotifier implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeNotifier.class);
    static final String APPLICATION_NAME = "contact-mirror-change-notifier";

    /** Ends a subscription. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final DataSource dataSource;
    private final ChangeLogProperties properties;
    private final Map<Long, Set<Runnable>> subscribers = new ConcurrentHashMap<>();
    private final Set<LongConsumer> everyInstance = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile @org.jspecify.annotations.Nullable Thread listener;

    ChangeNotifier(DataSource dataSource, ChangeLogProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    /** Calls {@code onChange} (on the listener's thread: it must not block) whenever changes of the instance commit. */
    public Subscription subscribe(long instanceId, Runnable onChange) {
        subscribers
                .computeIfAbsent(instanceId, id -> ConcurrentHashMap.newKeySet())
                .add(onChange);
        return () -> subscribers.computeIfPresent(instanceId, (id, set) -> {
            set.remove(onChange);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Calls {@code onChange} with the instance id whenever changes of any instance commit (for readers of every
     * instance, such as webhook delivery); after a lost connection it is called with {@link #ANY_INSTANCE}.
     */
    public Subscription subscribeAll(LongConsumer onChange) {
        everyInstance.add(onChange);
        return () -> everyInstance.remove(onChange);
    }

    /** Passed to {@link #subscribeAll} listeners when notifications may have been missed: look at every instance. */
    public static final long ANY_INSTANCE = -1;

    /** How often readers should look for changes without a wake-up. */
    public java.time.Duration pollInterval() {
        return properties.pollInterval();
    }

    private void wake(long instanceId) {
        Set<Runnable> set = subscribers.get(instanceId);
        if (set != null) {
            set.forEach(ChangeNotifier::runQuietly);
        }
        everyInstance.forEach(listener -> runQuietly(() -> listener.accept(instanceId)));
    }

    private void wakeAll() {
        subscribers.values().forEach(set -> set.forEach(ChangeNotifier::runQuietly));
        everyInstance.forEach(listener -> runQuietly(() -> listener.accept(ANY_INSTANCE)));
    }

    private static void runQuietly(Runnable subscriber) {
        try {
            subscriber.run();
        } catch (RuntimeException ex) {
            log.warn("A change subscriber failed: {}", ex.toString());
        }
    }

    /**
     * A connection of its own, outside the pool: it is held for as long as the replica runs, and a connection that
     * broke under it never goes back to the pool. Named, so operators (and a test) can tell it apart in
     * pg_stat_activity.
     */
    private Connection openDedicated() throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            var info = new Properties();
            pool.getDataSourceProperties().forEach(info::put);
            if (pool.getUsername() != null) {
                info.setProperty("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                info.setProperty("password", pool.getPassword());
            }
            info.setProperty(PGProperty.APPLICATION_NAME.getName(), APPLICATION_NAME);
            return DriverManager.getConnection(pool.getJdbcUrl(), info);
        }
        Connection pooled = dataSource.getConnection();
        try (Statement statement = pooled.createStatement()) {
            statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
        }
        return pooled;
    }

    private void listen() {
        long backoffMillis = 200;
        boolean first = true;
        while (running) {
            try (Connection opened = openDedicated()) {
                PGConnection postgres = opened.unwrap(PGConnection.class);
                try (Statement statement = opened.createStatement()) {
                    statement.execute("LISTEN " + ChangeLog.CHANNEL);
                }
                if (!first) {
                    log.info("Listening for change notifications again");
                    wakeAll();
                }
                first = false;
                backoffMillis = 200;
                long checkEvery = properties.pollInterval().toNanos();
                long lastTraffic = System.nanoTime();
                while (running) {
                    // Short waits, so a stopping replica does not wait for a whole poll interval.
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications == null || notifications.length == 0) {
                        if (System.nanoTime() - lastTraffic > checkEvery) {
                            // Quiet for a whole poll interval: make sure the connection is still alive.
                            try (Statement statement = opened.createStatement()) {
                                statement.execute("SELECT 1");
                            }
                            lastTraffic = System.nanoTime();
                        }
                        continue;
                    }
                    lastTraffic = System.nanoTime();
                    for (PGNotification notification : notifications) {
                        try {
                            wake(Long.parseLong(notification.getParameter()));
                        } catch (NumberFormatException ex) {
                            log.debug("Ignoring notification '{}'", notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException ex) {
                if (!running) {
                    return;
                }
                log.warn("Change notifications interrupted ({}); reconnecting in {} ms", ex.toString(), backoffMillis);
                wakeAll();
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    @Override
    public void start() {
        running = true;
        listener = Thread.ofPlatform().daemon().name("change-notifier").start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            listener = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
