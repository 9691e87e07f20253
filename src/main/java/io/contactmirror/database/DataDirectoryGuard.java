package io.contactmirror.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a persistent data directory startable after the previous run was killed hard ({@code kill -9}, an IDE's
 * force-stop, the OOM killer). PostgreSQL runs as its own daemon and outlives such a JVM, holding the directory;
 * without this the next start waits for a server that can never come up.
 */
final class DataDirectoryGuard {

    /** zonky holds an OS lock on this file for as long as its JVM runs; the OS drops it when the JVM dies. */
    static final String OWNER_LOCK = "epg-lock";

    private static final Logger log = LoggerFactory.getLogger(DataDirectoryGuard.class);

    private DataDirectoryGuard() {}

    /**
     * Stops a PostgreSQL that serves {@code dataDirectory} when no live process owns the directory, or fails in one
     * line when one does or the server will not stop.
     */
    static void prepare(Path dataDirectory, Duration stopTimeout) {
        ensureNoLiveOwner(dataDirectory);
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan = postmaster(pidFile, dataDirectory);
        if (orphan.isEmpty()) {
            // A stale file of a server that is gone: PostgreSQL itself checks and replaces it.
            return;
        }
        long pid = orphan.get().pid();
        log.warn(
                "Stopping PostgreSQL (pid {}) left running on {} by a previous run that ended without shutting it down",
                pid,
                dataDirectory);
        // SIGTERM is PostgreSQL's "smart" shutdown: it ends with a checkpoint, so nothing is lost. The dead JVM's
        // connections are closed by the kernel, so there is nobody to wait for.
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException ex) {
            throw new EmbeddedDatabaseUnavailableException("PostgreSQL (pid " + pid + ") left running by a previous run"
                    + " still holds " + dataDirectory + " after " + stopTimeout.toSeconds() + " s; stop it with"
                    + " 'kill -INT " + pid + "' and start again");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EmbeddedDatabaseUnavailableException("Interrupted while stopping PostgreSQL (pid " + pid + ")");
        }
        log.info("Stopped the orphaned PostgreSQL (pid {}); starting it again", pid);
    }

    private static void ensureNoLiveOwner(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve(OWNER_LOCK);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDirectory);
            }
            lock.release();
        } catch (OverlappingFileLockException ex) {
            throw inUse(dataDirectory);
        } catch (IOException ex) {
            throw new EmbeddedDatabaseUnavailableException(
                    "Cannot check who uses the embedded database in " + dataDirectory + ": " + ex.getMessage(), ex);
        }
    }

    private static EmbeddedDatabaseUnavailableException inUse(Path dataDirectory) {
        return new EmbeddedDatabaseUnavailableException("The embedded database in " + dataDirectory + " is in use by"
                + " another running Contact Mirror; stop that one, or give this one its own directory with"
                + " contactmirror.embedded-database.data-directory");
    }

    /** The live PostgreSQL server named in the pid file, if it really serves this directory. */
    private static Optional<ProcessHandle> postmaster(Path pidFile, Path dataDirectory) {
        List<String> lines;
        long pid;
        try {
            lines = Files.readAllLines(pidFile);
            pid = Long.parseLong(lines.getFirst().strip());
        } catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
        boolean samePath =
                lines.size() > 1 && sameDirectory(Path.of(lines.get(1).strip()), dataDirectory);
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> samePath && isPostgres(process));
    }

    private static boolean sameDirectory(Path recorded, Path dataDirectory) {
        try {
            return Files.isSameFile(recorded, dataDirectory);
        } catch (IOException ex) {
            return false;
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info()
                .command()
                .map(command -> Path.of(command).getFileName().toString().equals("postgres"))
                .orElse(false);
    }
}
