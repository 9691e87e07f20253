package io.contactmirror.contact;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.Fence;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.connection.LeaseGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies what live sessions report to the contact tables, one batch per statement. Merges what it learns with what
 * is stored (a missing or empty name never erases a known one), never touches CRM fields except to merge two rows of
 * one person, keeps one row per person (LID and phone-number identities merge; Brazilian numbers with and without the
 * ninth digit are one person). A LID once stored on a row is never replaced: a different one means a recycled number.
 * Errors, a lost lease included, propagate to the session that reported the batch, which retries or stops.
 */
@Component
class ContactMirror {

    private static final Logger log = LoggerFactory.getLogger(ContactMirror.class);

    private final MirrorRepository repository;
    private final MirrorFeed feed;
    private final LeaseGuard leases;
    private final DistributionSummary batchSize;
    private final Timer applyTime;
    private final Counter recycled;

    ContactMirror(MirrorRepository repository, MirrorFeed feed, LeaseGuard leases, MeterRegistry meters) {
        this.repository = repository;
        this.feed = feed;
        this.leases = leases;
        this.batchSize = DistributionSummary.builder("contactmirror.mirror.batch.size")
                .description("Records per batch applied by the mirror")
                .register(meters);
        this.applyTime = Timer.builder("contactmirror.mirror.apply")
                .description("Time from a session reporting a batch to its rows being written")
                .publishPercentileHistogram()
                .register(meters);
        this.recycled = Counter.builder("contactmirror.mirror.recycled-numbers")
                .description(
                        "LID mappings or records not applied because the phone number's row belongs to another LID")
                .register(meters);
    }

    @EventListener
    @Transactional
    public void onContacts(InstanceDataEvent.ContactsReceived event) {
        begin(event.instanceId(), event.fence());
        applyTime.record(() -> applyContacts(event.instanceId(), event.contacts()));
    }

    @EventListener
    @Transactional
    public void onChats(InstanceDataEvent.ChatsReceived event) {
        begin(event.instanceId(), event.fence());
        applyTime.record(() -> applyChats(event.instanceId(), event.chats()));
    }

    @EventListener
    @Transactional
    public void onMappings(InstanceDataEvent.IdentitiesMapped event) {
        begin(event.instanceId(), event.fence());
        applyTime.record(() -> applyMappings(event.instanceId(), event.mappings()));
    }

    @EventListener
    @Transactional
    public void onSyncCompleted(InstanceDataEvent.SyncCompleted event) {
        begin(event.instanceId(), event.fence());
        long[] counts = repository.recount(event.instanceId());
        feed.syncCompleted(event.instanceId(), counts[0], counts[1]);
    }

    @EventListener
    @Transactional
    public void onParticipants(InstanceDataEvent.GroupParticipants event) {
        begin(event.instanceId(), event.fence());
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        event.participantsByGroup().forEach((groupJid, participantJids) -> {
            String group = Jids.parse(groupJid).jid();
            if (Jids.isGroup(group)) {
                byGroup.put(
                        group,
                        participantJids.stream()
                                .map(jid -> Jids.parse(jid).jid())
                                .filter(jid -> Jids.isPhoneJid(jid) || Jids.isLid(jid))
                                .distinct()
                                .toList());
            }
        });
        repository.saveParticipants(event.instanceId(), byGroup);
    }

    /**
     * The start of every batch's transaction: the lease is still this replica's, and the statements that follow are
     * planned for any instance rather than for this one (see {@link MirrorRepository#planForAnyInstance}).
     */
    private void begin(long instanceId, Fence fence) {
        leases.requireHeld(instanceId, fence);
        repository.planForAnyInstance();
    }

    void applyContacts(long instanceId, List<ContactRecord> records) {
        batchSize.record(records.size());
        List<IdentityMapping> mappings = new ArrayList<>();
        List<MirroredContact> incoming = new ArrayList<>();
        for (ContactRecord record : records) {
            var jid = Jids.parse(record.jid());
            if (jid.jid() == null) {
                log.debug("Instance {}: ignoring contact with unusable JID {}", instanceId, record.jid());
                continue;
            }
            String lid = record.lid() == null ? null : Jids.parse(record.lid()).jid();
            if (lid != null && !Jids.isLid(lid)) {
                lid = null;
            }
            if (Jids.isLid(jid.jid())) {
                lid = jid.jid();
            } else if (lid != null) {
                mappings.add(new IdentityMapping(lid, jid.jid()));
            }
            incoming.add(new MirroredContact(
                    jid.jid(),
                    lid,
                    record.pushName(),
                    record.fullName(),
                    record.firstName(),
                    record.businessName(),
                    null,
                    record.inAddressBook()));
        }
        // LID-only records of people whose phone number is known go to the phone-number row.
        Map<String, String> known = repository.phoneJidsOfLids(
                instanceId,
                incoming.stream().map(MirroredContact::jid).filter(Jids::isLid).toList());
        Map<String, MirroredContact> byJid = new LinkedHashMap<>();
        for (MirroredContact contact : incoming) {
            String target = known.getOrDefault(contact.jid(), contact.jid());
            MirroredContact keyed = contact.withJid(target);
            byJid.merge(keyed.jid(), keyed, MirroredContact::mergedWith);
        }
        upsert(instanceId, byJid);
        if (!mappings.isEmpty()) {
            applyMappings(instanceId, mappings);
        }
    }

    private void upsert(long instanceId, Map<String, MirroredContact> byJid) {
        if (byJid.isEmpty()) {
            return;
        }
        Set<String> phoneKeys = new HashSet<>();
        byJid.values().forEach(contact -> {
            if (contact.phoneKey() != null) {
                phoneKeys.add(contact.phoneKey());
            }
        });
        Map<String, MirrorRepository.Stored> existing = repository.findExisting(instanceId, byJid.keySet(), phoneKeys);
        // A chat stored before its contact lends the new row its name, in the same write.
        Map<String, String> chatNames = repository.chatNames(
                instanceId,
                byJid.keySet().stream()
                        .filter(jid -> !existing.containsKey(jid))
                        .toList());
        Map<String, String> jidByPhoneKey = new java.util.HashMap<>();
        existing.values().forEach(stored -> {
            if (stored.contact().phoneKey() != null) {
                jidByPhoneKey.put(stored.contact().phoneKey(), stored.contact().jid());
            }
        });
        Map<String, MirroredContact> merged = new LinkedHashMap<>();
        for (MirroredContact contact : byJid.values()) {
            // The same person under the other Brazilian form keeps the row it already has.
            String jid = contact.phoneKey() != null
                    ? jidByPhoneKey.getOrDefault(contact.phoneKey(), contact.jid())
                    : contact.jid();
            if (contact.phoneKey() != null) {
                jidByPhoneKey.putIfAbsent(contact.phoneKey(), jid);
            }
            MirroredContact keyed = contact.withJid(jid);
            if (keyed.chatName() == null && chatNames.containsKey(jid)) {
                keyed = keyed.withChatName(chatNames.get(jid));
            }
            MirrorRepository.Stored stored = existing.get(jid);
            MirroredContact base = merged.containsKey(jid) ? merged.get(jid) : stored != null ? stored.contact() : null;
            if (base != null
                    && base.lid() != null
                    && keyed.lid() != null
                    && !base.lid().equals(keyed.lid())) {
                recycled.increment();
                log.warn(
                        "Instance {}: {} reported with {}, but its contact belongs to {}; recycled number? LID kept",
                        instanceId,
                        jid,
                        keyed.lid(),
                        base.lid());
            }
            merged.put(jid, base == null ? keyed : base.mergedWith(keyed));
        }
        long people = 0;
        long groups = 0;
        List<MirrorRepository.ContactChange> changes = new ArrayList<>();
        for (MirrorRepository.Written row : repository.upsertContacts(instanceId, List.copyOf(merged.values()))) {
            if (row.inserted()) {
                if (row.group()) {
                    groups++;
                } else {
                    people++;
                }
                changes.add(feed.created(row.id(), merged.get(row.jid())));
            } else if (existing.containsKey(row.jid())) {
                MirrorRepository.ContactChange change =
                        feed.updated(row.id(), existing.get(row.jid()).contact(), merged.get(row.jid()));
                if (change != null) {
                    changes.add(change);
                }
            }
        }
        repository.addToCounts(instanceId, new MirrorRepository.Counts(people, groups));
        feed.record(instanceId, changes);
    }

    void applyChats(long instanceId, List<ChatRecord> records) {
        batchSize.record(records.size());
        List<String> lids = records.stream()
                .map(chat -> Jids.parse(chat.jid()).jid())
                .filter(Jids::isLid)
                .toList();
        Map<String, String> known = repository.phoneJidsOfLids(instanceId, lids);
        Map<String, MirrorRepository.ChatUpsert> byJid = new LinkedHashMap<>();
        for (ChatRecord chat : records) {
            String jid = Jids.parse(chat.jid()).jid();
            if (jid == null) {
                continue;
            }
            jid = known.getOrDefault(jid, jid);
            var upsert = new MirrorRepository.ChatUpsert(
                    jid, chat.name(), chat.lastMessageText(), chat.lastMessageAt(), chat.unreadCount());
            byJid.merge(
                    jid,
                    upsert,
                    (older, newer) -> new MirrorRepository.ChatUpsert(
                            newer.jid(),
                            MirroredContact.pick(newer.name(), older.name()),
                            newer.lastMessageAt() != null ? newer.lastMessageText() : older.lastMessageText(),
                            newer.lastMessageAt() != null ? newer.lastMessageAt() : older.lastMessageAt(),
                            newer.unreadCount() != null ? newer.unreadCount() : older.unreadCount()));
        }
        if (byJid.isEmpty()) {
            return;
        }
        List<MirrorRepository.ChatUpsert> chats = List.copyOf(byJid.values());
        repository.upsertChats(instanceId, chats);
        feed.record(instanceId, renamed(instanceId, repository.copyChatNames(instanceId, chats)));
    }

    /**
     * Applies LID→phone mappings set-based: a few statements per batch whatever its size. A mapping whose phone-number
     * row already belongs to a different LID is not applied (the number was recycled: two people, two rows).
     */
    void applyMappings(long instanceId, List<IdentityMapping> mappings) {
        Map<String, MirrorRepository.Mapping> byLid = new LinkedHashMap<>();
        for (IdentityMapping mapping : mappings) {
            String lid = Jids.parse(mapping.lidJid()).jid();
            String phone = Jids.parse(mapping.phoneJid()).jid();
            if (!Jids.isLid(lid) || !Jids.isPhoneJid(phone)) {
                log.debug("Instance {}: ignoring unusable identity mapping {}", instanceId, mapping);
                continue;
            }
            byLid.remove(lid);
            byLid.put(lid, new MirrorRepository.Mapping(lid, phone));
        }
        List<MirrorRepository.Mapping> pending = List.copyOf(byLid.values());
        while (!pending.isEmpty()) {
            // A round names each phone number once, so its rows are disjoint; a second LID for the same number meets
            // the first one's result in the next round, as if the mappings were applied one by one.
            Map<String, MirrorRepository.Mapping> round = new LinkedHashMap<>();
            List<MirrorRepository.Mapping> later = new ArrayList<>();
            for (MirrorRepository.Mapping mapping : pending) {
                if (round.putIfAbsent(phoneKey(mapping.phoneJid()), mapping) != null) {
                    later.add(mapping);
                }
            }
            applyRound(instanceId, round.values());
            pending = later;
        }
    }

    private void applyRound(long instanceId, Collection<MirrorRepository.Mapping> mappings) {
        List<String> lidJids =
                mappings.stream().map(MirrorRepository.Mapping::lidJid).toList();
        List<String> phoneKeys =
                mappings.stream().map(mapping -> phoneKey(mapping.phoneJid())).toList();
        List<MirrorRepository.Locked> rows = repository.rowsForMappings(instanceId, lidJids, phoneKeys, false);
        Set<String> lidSet = new HashSet<>(lidJids);
        if (rows.stream().anyMatch(row -> lidSet.contains(row.jid()))) {
            // LID rows to merge or re-key: read again under locks (see lockForMappings).
            rows = repository.lockForMappings(instanceId, lidJids, phoneKeys);
        }
        Map<String, MirrorRepository.Locked> byJid = new HashMap<>();
        Map<String, MirrorRepository.Locked> byPhoneKey = new HashMap<>();
        for (MirrorRepository.Locked row : rows) {
            byJid.put(row.jid(), row);
            if (row.phoneKey() != null && !row.group()) {
                byPhoneKey.put(row.phoneKey(), row);
            }
        }
        List<MirrorRepository.Mapping> applied = new ArrayList<>();
        List<MirrorRepository.Merge> merges = new ArrayList<>();
        List<MirrorRepository.Rekey> rekeys = new ArrayList<>();
        Map<Long, String> lids = new LinkedHashMap<>();
        Map<String, String> chatTargets = new LinkedHashMap<>();
        Set<String> changed = new HashSet<>();
        List<MirrorRepository.ContactChange> changes = new ArrayList<>();
        for (MirrorRepository.Mapping mapping : mappings) {
            String lid = mapping.lidJid();
            MirrorRepository.Locked lidRow = byJid.get(lid);
            MirrorRepository.Locked phoneRow = byPhoneKey.get(phoneKey(mapping.phoneJid()));
            if (phoneRow != null && phoneRow.lid() != null && !phoneRow.lid().equals(lid)) {
                recycled.increment();
                log.warn(
                        "Instance {}: {} maps to {}, whose contact {} belongs to {}; recycled number? Both rows kept, mapping not applied",
                        instanceId,
                        lid,
                        mapping.phoneJid(),
                        phoneRow.id(),
                        phoneRow.lid());
                continue;
            }
            applied.add(mapping);
            if (lidRow != null && phoneRow != null) {
                merges.add(new MirrorRepository.Merge(lidRow.id(), phoneRow.id(), lid));
                changes.add(feed.merged(lidRow.id(), phoneRow.id(), lid, phoneRow.jid()));
                chatTargets.put(lid, phoneRow.jid());
                changed.add(phoneRow.jid());
            } else if (lidRow != null) {
                rekeys.add(new MirrorRepository.Rekey(lidRow.id(), mapping.phoneJid(), lid));
                changes.add(feed.rekeyed(lidRow.id(), lid, mapping.phoneJid()));
                chatTargets.put(lid, mapping.phoneJid());
                changed.add(mapping.phoneJid());
            } else if (phoneRow != null && phoneRow.lid() == null) {
                lids.put(phoneRow.id(), lid);
                changed.add(phoneRow.jid());
            }
        }
        repository.saveMappings(instanceId, applied);
        repository.merge(instanceId, merges);
        repository.rekey(instanceId, rekeys);
        for (long id : repository.setLids(instanceId, lids)) {
            changes.add(feed.updated(id, "lid", null, lids.get(id)));
        }
        repository.rekeyChats(instanceId, chatTargets);
        changes.addAll(renamed(instanceId, changed));
        feed.record(instanceId, changes);
    }

    /** Re-derives the rows' names; a changed shown name is a {@code contact.updated}. */
    private List<MirrorRepository.ContactChange> renamed(long instanceId, Collection<String> jids) {
        return repository.refreshDerived(instanceId, jids).stream()
                .map(change -> feed.updated(change.id(), "name", change.oldName(), change.newName()))
                .toList();
    }

    private static String phoneKey(String phoneJid) {
        return Jids.phoneKey(Jids.phoneOf(phoneJid).orElseThrow());
    }
}
