package io.contactmirror.contact;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mirror's side of the change log: what a batch changed becomes change records in the batch's own transaction,
 * set-based (one sequence reservation and one insert per batch). Sequences are reserved after the batch's rows are
 * written, as API edits do (row first, then sequence), so the two never wait for each other in opposite order.
 */
@Component
class MirrorFeed {

    private final ChangeLog changeLog;
    private final MirrorRepository repository;
    private final JsonMapper json;

    MirrorFeed(ChangeLog changeLog, MirrorRepository repository, JsonMapper json) {
        this.changeLog = changeLog;
        this.repository = repository;
        this.json = json;
    }

    void record(long instanceId, List<MirrorRepository.ContactChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        changeLog.appendAll(
                instanceId,
                changes.stream()
                        .map(change -> new ChangeLog.Entry(change.type(), change.contactId(), change.data()))
                        .toList());
    }

    void syncCompleted(long instanceId, long contacts, long groups) {
        changeLog.append(
                instanceId,
                ChangeType.INSTANCE_SYNC_COMPLETED,
                null,
                json.createObjectNode().put("contacts", contacts).put("groups", groups),
                null);
    }

    /** {@code contact.updated} of a stored row and what it becomes, or null when no field of the API changes. */
    MirrorRepository.@Nullable ContactChange updated(long id, MirroredContact before, MirroredContact after) {
        ObjectNode changes = json.createObjectNode();
        field(changes, "lid", before.lid(), after.lid());
        field(changes, "pushName", before.pushName(), MirrorRepository.truncate(after.pushName()));
        field(changes, "fullName", before.fullName(), MirrorRepository.truncate(after.fullName()));
        field(changes, "firstName", before.firstName(), MirrorRepository.truncate(after.firstName()));
        field(changes, "businessName", before.businessName(), MirrorRepository.truncate(after.businessName()));
        field(
                changes,
                "name",
                name(before.displayName(), before),
                name(MirrorRepository.truncate(after.displayName()), after));
        return changes.isEmpty() ? null : updated(id, changes);
    }

    MirrorRepository.ContactChange updated(long id, String field, @Nullable String before, @Nullable String after) {
        ObjectNode changes = json.createObjectNode();
        field(changes, field, before, after);
        return updated(id, changes);
    }

    /** {@code contact.created}: the row as the mirror wrote it. */
    MirrorRepository.ContactChange created(long id, MirroredContact contact) {
        String displayName = MirrorRepository.truncate(contact.displayName());
        ObjectNode row = json.createObjectNode()
                .put("id", id)
                .put("jid", contact.jid())
                .put("lid", contact.lid())
                .put("phone", contact.phone())
                .put("name", name(displayName, contact))
                .put("pushName", MirrorRepository.truncate(contact.pushName()))
                .put("fullName", MirrorRepository.truncate(contact.fullName()))
                .put("firstName", MirrorRepository.truncate(contact.firstName()))
                .put("businessName", MirrorRepository.truncate(contact.businessName()))
                .put("isGroup", contact.group());
        return new MirrorRepository.ContactChange(
                id,
                ChangeType.CONTACT_CREATED,
                json.writeValueAsString(json.createObjectNode().set("contact", row)));
    }

    MirrorRepository.ContactChange merged(long fromId, long intoId, String fromJid, String intoJid) {
        ObjectNode data = json.createObjectNode()
                .put("fromId", fromId)
                .put("intoId", intoId)
                .put("fromJid", fromJid)
                .put("intoJid", intoJid);
        return new MirrorRepository.ContactChange(intoId, ChangeType.CONTACT_MERGED, json.writeValueAsString(data));
    }

    /** A LID-only row that became its phone number's row. */
    MirrorRepository.ContactChange rekeyed(long id, String lidJid, String phoneJid) {
        ObjectNode changes = json.createObjectNode();
        field(changes, "jid", lidJid, phoneJid);
        field(changes, "phone", null, Jids.phoneOf(phoneJid).orElse(null));
        return updated(id, changes);
    }

    private MirrorRepository.ContactChange updated(long id, ObjectNode changes) {
        return new MirrorRepository.ContactChange(
                id,
                ChangeType.CONTACT_UPDATED,
                json.writeValueAsString(json.createObjectNode().set("changes", changes)));
    }

    /** The API's {@code name}: the display name, else the phone, else the JID. */
    private static String name(@Nullable String displayName, MirroredContact contact) {
        return displayName != null ? displayName : contact.phone() != null ? contact.phone() : contact.jid();
    }

    private static void field(ObjectNode changes, String name, @Nullable String before, @Nullable String after) {
        if (!Objects.equals(before, after)) {
            ObjectNode change = changes.putObject(name);
            change.put("old", before);
            change.put("new", after);
        }
    }
}
