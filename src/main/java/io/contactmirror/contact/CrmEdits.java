package io.contactmirror.contact;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** CRM edits: saving a number as a contact and patching its CRM fields under optimistic locking, with change records. */
@Service
public class CrmEdits {

    private final ContactRepository contacts;
    private final Contacts entities;
    private final ContactLookup lookups;
    private final MirrorRepository mirror;
    private final InstanceResolver instances;
    private final ChangeLog changeLog;

    CrmEdits(
            ContactRepository contacts,
            Contacts entities,
            ContactLookup lookups,
            MirrorRepository mirror,
            InstanceResolver instances,
            ChangeLog changeLog) {
        this.contacts = contacts;
        this.entities = entities;
        this.lookups = lookups;
        this.mirror = mirror;
        this.instances = instances;
        this.changeLog = changeLog;
    }

    @Transactional
    public SavedContact save(TenantPrincipal principal, String instanceName, String phone, String jid, String name) {
        Instance instance = instances.resolve(principal, instanceName);
        String identity = ContactLookup.identity(phone, jid);
        mirror.planForAnyInstance();
        Optional<Contact> existing = contacts.findByIdentity(instance.id(), identity);
        ContactRepository.Saved saved =
                contacts.save(instance.id(), existing.map(Contact::jid).orElse(identity), name);
        Contact contact = contacts.findById(saved.id()).orElseThrow();
        if (saved.created()) {
            mirror.addToCounts(
                    instance.id(),
                    Jids.isGroup(identity) ? new MirrorRepository.Counts(0, 1) : new MirrorRepository.Counts(1, 0));
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.set("contact", ContactChanges.created(contact));
            changeLog.append(instance.id(), ChangeType.CONTACT_CREATED, contact.id(), data, actor(principal));
        }
        return new SavedContact(contact, saved.created());
    }

    public record SavedContact(Contact contact, boolean created) {}

    /** The CRM fields a PATCH may change; {@code present} says which ones the patch names. */
    record CrmPatch(
            Set<String> present,
            String assignedUserId,
            String assignedDepartmentId,
            String funnelStageId,
            String notes,
            JsonNode customData,
            Boolean showTimeInStage) {}

    /**
     * Applies a CRM patch to the locked entity; JPA writes only the fields that changed and bumps {@code version}
     * (optimistic locking: a write based on an older version fails). A patch that changes nothing writes nothing.
     */
    @Transactional
    public Contact patch(TenantPrincipal principal, long id, CrmPatch patch, String ifMatch) {
        Contact current = lockForEdit(principal, id);
        if (ifMatch != null && !ifMatch.isBlank() && !matches(ifMatch, current)) {
            throw new ApiException(
                    ErrorCode.PRECONDITION_FAILED,
                    "The contact changed since version " + ifMatch.strip() + "; it is now at " + current.etag());
        }
        ObjectNode changes = ContactChanges.apply(current, patch, Instant.now());
        if (!changes.isEmpty()) {
            try {
                entities.flush();
            } catch (ObjectOptimisticLockingFailureException ex) {
                throw new ApiException(
                        ErrorCode.PRECONDITION_FAILED, "The contact was changed concurrently; read it again and retry");
            }
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.set("changes", changes);
            changeLog.append(current.instanceId(), ChangeType.CONTACT_UPDATED, current.id(), data, actor(principal));
        }
        return current;
    }

    private static String actor(TenantPrincipal principal) {
        return String.valueOf(principal.userId());
    }

    /**
     * The contact a PATCH edits, locked: a merge of it either committed before (the id then answers with the
     * survivor, locked in turn) or waits for this edit and merges its result.
     */
    private Contact lockForEdit(TenantPrincipal principal, long id) {
        for (int attempt = 0; attempt < ContactLookup.MAX_ALIAS_HOPS; attempt++) {
            Contact seen = lookups.get(principal, id);
            Optional<Contact> locked = contacts.lockById(seen.id());
            if (locked.isPresent()) {
                return locked.get();
            }
        }
        throw ContactLookup.notFound();
    }

    private static boolean matches(String ifMatch, Contact contact) {
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.replaceFirst("^W/", "").equals(contact.etag())) {
                return true;
            }
        }
        return false;
    }

    /** RFC 7386 JSON merge patch: objects merge key by key, null removes a key, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (patch == null || patch.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (var entry : patch.properties()) {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                result.set(entry.getKey(), mergePatch(result.get(entry.getKey()), entry.getValue()));
            }
        }
        return result;
    }
}
