package io.contactmirror.connection.sandbox;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.DisconnectReason;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.ProfilePicture;
import io.contactmirror.connection.SandboxEvent;
import io.contactmirror.connection.engine.EngineSession;
import io.contactmirror.connection.engine.EngineUnavailableException;
import io.contactmirror.connection.engine.SessionListener;
import io.contactmirror.connection.engine.SessionRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One simulated phone connection, on its own virtual thread: QR codes until it is scanned, login, the initial sync
 * in batches, then injected events as live updates. Only this thread calls the listener.
 */
final class SandboxSession implements EngineSession, Runnable {

    private static final Logger log = LoggerFactory.getLogger(SandboxSession.class);
    private static final String PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTVWXYZ23456789";

    private final SessionRequest request;
    private final SessionListener listener;
    private final SandboxRepository repository;
    private final SandboxProperties properties;
    private final JsonMapper json;
    // Closing wakes the session from its pauses; it never interrupts it, since an interrupt in the middle of a JDBC
    // call would break the pooled connection.
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile boolean alive = true;
    private volatile SandboxAccount account;
    private volatile @Nullable RuntimeException generationFailure;

    SandboxSession(
            SessionRequest request,
            SessionListener listener,
            SandboxRepository repository,
            SandboxProperties properties,
            JsonMapper json) {
        this.request = request;
        this.listener = listener;
        this.repository = repository;
        this.properties = properties;
        this.json = json;
    }

    void start() {
        Thread.ofVirtual().name("sandbox-" + request.instanceId()).start(this);
    }

    /** Waits, or returns early once the session is closed. */
    private void pause(java.time.Duration duration) throws InterruptedException {
        closing.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        long instanceId = request.instanceId();
        try {
            SandboxRepository.Device device = repository
                    .find(instanceId)
                    .orElseThrow(() -> new IllegalStateException("no sandbox device for instance " + instanceId));
            if (device.pairedAt() == null && !pair(device)) {
                return;
            }
            listener.connecting();
            SandboxAccount current = new SandboxAccount(device.seed(), device.contactCount(), device.groupCount());
            account = current;
            listener.loggedIn(current.owner());
            sync(current, device.deliveredEvent());
            deliverLiveEvents(device.deliveredEvent());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            if (!closed) {
                log.warn("Sandbox session of instance {} failed: {}", instanceId, ex.toString());
                account = null;
                listener.disconnected(DisconnectReason.CONNECTION_LOST, "sandbox session failed: " + ex.getMessage());
            }
        } finally {
            alive = false;
        }
    }

    /** Shows rotating QR codes (and a pairing code when asked) until the phone "scans"; false when closed first. */
    private boolean pair(SandboxRepository.Device device) throws InterruptedException {
        Instant shownAt = Instant.now();
        int rotation = 0;
        Instant expiresAt = showQr(device.seed(), rotation);
        // A scan requested before the session started (as scripts and benchmarks do) pairs without a poll's wait.
        SandboxRepository.Device current = device;
        while (!closed) {
            boolean autoScan = !properties.autoScanAfter().isZero()
                    && Instant.now().isAfter(shownAt.plus(properties.autoScanAfter()));
            if (current.scanRequested() || current.pairedAt() != null || autoScan) {
                repository.paired(request.instanceId(), request.fence());
                return true;
            }
            if (Instant.now().isAfter(expiresAt)) {
                expiresAt = showQr(device.seed(), ++rotation);
            }
            pause(properties.pollInterval());
            current = repository.find(request.instanceId()).orElseThrow();
        }
        return false;
    }

    private Instant showQr(long seed, int rotation) {
        Instant expiresAt = Instant.now().plus(properties.qrRotation());
        byte[] material = sha256(seed + ":" + request.instanceId() + ":" + rotation);
        Base64.Encoder base64 = Base64.getEncoder();
        String payload = "2@" + base64.encodeToString(material) + ","
                + base64.encodeToString(sha256("noise" + rotation + seed)) + ","
                + base64.encodeToString(sha256("identity" + seed)) + "," + base64.encodeToString(sha256("adv" + seed));
        listener.qrCode(payload, expiresAt);
        if (request.pairingPhone() != null) {
            byte[] code = sha256(seed + ":" + request.pairingPhone() + ":" + rotation);
            StringBuilder pairingCode = new StringBuilder(8);
            for (int i = 0; i < 8; i++) {
                pairingCode.append(PAIRING_ALPHABET.charAt(Math.floorMod(code[i], PAIRING_ALPHABET.length())));
            }
            listener.pairingCode(pairingCode.toString());
        }
        return expiresAt;
    }

    /** One batch of the initial sync, as a phone sends it. */
    private record Batch(
            List<ContactRecord> contacts,
            List<ChatRecord> chats,
            List<IdentityMapping> mappings,
            List<SandboxAccount.Group> groups,
            int done) {}

    private static final Batch END = new Batch(List.of(), List.of(), List.of(), List.of(), 0);

    /**
     * Sends the whole account in batches, with the changes injected earlier applied on top. A second virtual thread
     * generates the next batch while this one waits for the mirror to store the last (at most two batches ahead, so
     * memory stays bounded whatever the account's size).
     */
    private void sync(SandboxAccount current, long deliveredEvent) throws InterruptedException {
        listener.syncProgress(0, false);
        int total = current.contactCount() + current.groupCount();
        BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(2);
        Thread generator = Thread.ofVirtual()
                .name("sandbox-generator-" + request.instanceId())
                .start(() -> generate(current, batches));
        try {
            for (Batch batch = batches.take(); batch != END && !closed; batch = batches.take()) {
                if (!batch.groups().isEmpty()) {
                    Map<String, List<String>> participants = new LinkedHashMap<>();
                    batch.groups()
                            .forEach(group -> participants.put(group.contact().jid(), group.participants()));
                    listener.groupParticipants(participants);
                }
                flush(batch);
                listener.syncProgress((int) (100L * batch.done() / Math.max(1, total)), false);
                pause(properties.batchDelay());
            }
        } finally {
            generator.interrupt();
        }
        if (generationFailure != null) {
            throw new IllegalStateException("generating the sandbox account failed", generationFailure);
        }
        for (SandboxRepository.StoredEvent stored : repository.events(request.instanceId(), 0, deliveredEvent)) {
            SandboxEvent event = json.readValue(stored.payload(), SandboxEvent.class);
            if (!(event instanceof SandboxEvent.Disconnect)) {
                apply(event);
            }
        }
        if (!closed) {
            listener.syncProgress(100, true);
        }
    }

    /** Generates the account's batches; only in-memory work, so an interrupt (the sync ended) is safe here. */
    private void generate(SandboxAccount current, BlockingQueue<Batch> batches) {
        try {
            int size = properties.batchSize();
            List<ContactRecord> contacts = new ArrayList<>(size + 1);
            List<ChatRecord> chats = new ArrayList<>();
            List<IdentityMapping> mappings = new ArrayList<>();
            for (int i = 0; i < current.contactCount() && !closed; i++) {
                SandboxAccount.Person person = current.person(i);
                contacts.addAll(person.contacts());
                if (person.chat() != null) {
                    chats.add(person.chat());
                }
                if (person.mapping() != null) {
                    mappings.add(person.mapping());
                }
                if (contacts.size() >= size) {
                    batches.put(new Batch(contacts, chats, mappings, List.of(), i + 1));
                    contacts = new ArrayList<>(size + 1);
                    chats = new ArrayList<>();
                    mappings = new ArrayList<>();
                }
            }
            List<SandboxAccount.Group> groups = new ArrayList<>();
            for (int i = 0; i < current.groupCount() && !closed; i++) {
                SandboxAccount.Group group = current.group(i);
                groups.add(group);
                contacts.add(group.contact());
                chats.add(group.chat());
            }
            batches.put(new Batch(contacts, chats, mappings, groups, current.contactCount() + current.groupCount()));
            batches.put(END);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            generationFailure = ex;
            batches.offer(END);
        }
    }

    /** Chats first: a contact stored after its chat takes the chat's name in the same write. */
    private void flush(Batch batch) {
        if (closed) {
            return;
        }
        if (!batch.chats().isEmpty()) {
            listener.chats(batch.chats());
        }
        if (!batch.contacts().isEmpty()) {
            listener.contacts(batch.contacts());
        }
        if (!batch.mappings().isEmpty()) {
            listener.identityMappings(batch.mappings());
        }
    }

    private void deliverLiveEvents(long deliveredEvent) throws InterruptedException {
        long delivered = deliveredEvent;
        while (!closed) {
            for (SandboxRepository.StoredEvent stored :
                    repository.events(request.instanceId(), delivered, Long.MAX_VALUE)) {
                delivered = stored.id();
                repository.delivered(request.instanceId(), request.fence(), delivered);
                SandboxEvent event = json.readValue(stored.payload(), SandboxEvent.class);
                if (event instanceof SandboxEvent.Disconnect disconnect) {
                    if (!disconnect.reason().reconnect()) {
                        repository.unpaired(request.instanceId(), request.fence());
                    }
                    account = null;
                    closed = true;
                    listener.disconnected(disconnect.reason(), "injected through the sandbox events API");
                    return;
                }
                apply(event);
            }
            pause(properties.pollInterval());
        }
    }

    private void apply(SandboxEvent event) {
        switch (event) {
            case SandboxEvent.ContactChange change ->
                listener.contacts(List.of(new ContactRecord(
                        change.jid(),
                        change.lid(),
                        change.pushName(),
                        change.fullName(),
                        change.firstName(),
                        change.businessName(),
                        null)));
            case SandboxEvent.Mapping mapping ->
                listener.identityMappings(List.of(new IdentityMapping(mapping.lid(), mapping.phone())));
            case SandboxEvent.ChatUpdate chat ->
                listener.chats(List.of(new ChatRecord(
                        chat.jid(),
                        chat.name(),
                        chat.lastMessageText(),
                        chat.lastMessageText() == null ? null : Instant.now(),
                        chat.unreadCount())));
            case SandboxEvent.Disconnect ignored -> {}
        }
    }

    /** The simulated connection lives as long as its thread; a thread that died unreported is a dead session. */
    @Override
    public boolean isAlive() {
        return alive && !closed;
    }

    @Override
    public void close() {
        closed = true;
        account = null;
        closing.countDown();
    }

    @Override
    public void logout() {
        close();
        repository.unpaired(request.instanceId(), request.fence());
    }

    @Override
    public CompletableFuture<Optional<ProfilePicture>> queryProfilePicture(String jid, boolean preview) {
        SandboxAccount current = account;
        if (current == null) {
            return CompletableFuture.failedFuture(
                    new EngineUnavailableException("the sandbox session is not logged in"));
        }
        byte[] hash = sha256(current.owner().phoneJid() + "|" + jid);
        if (Math.floorMod(hash[0], 5) == 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String id = Long.toString(Math.abs(java.nio.ByteBuffer.wrap(hash).getLong() % 10_000_000_000L));
        String url = "https://pps.whatsapp.net/v/t61.24694-24/" + id + (preview ? "_preview" : "") + ".jpg";
        return CompletableFuture.completedFuture(Optional.of(new ProfilePicture(jid, url, id, preview)));
    }

    @Override
    public CompletableFuture<Map<String, Boolean>> checkNumbers(List<String> phoneJids) {
        SandboxAccount current = account;
        if (current == null) {
            return CompletableFuture.failedFuture(
                    new EngineUnavailableException("the sandbox session is not logged in"));
        }
        Map<String, Boolean> answers = new HashMap<>();
        phoneJids.forEach(jid -> answers.put(jid, Math.floorMod(sha256(jid)[0], 3) != 0));
        for (int i = 0; i < current.contactCount(); i++) {
            for (ContactRecord contact : current.person(i).contacts()) {
                answers.computeIfPresent(contact.jid(), (jid, known) -> true);
            }
        }
        return CompletableFuture.completedFuture(answers);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
