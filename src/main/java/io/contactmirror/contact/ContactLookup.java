package io.contactmirror.contact;

import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Contact lookups: by id (following merges), by phone or JID, and the instance a request means. */
@Service
public class ContactLookup {

    /** Aliases point straight at the survivor; more than one hop only happens while a merge commits. */
    static final int MAX_ALIAS_HOPS = 4;

    private final ContactRepository contacts;
    private final MirrorRepository mirror;
    private final InstanceResolver instances;

    ContactLookup(ContactRepository contacts, MirrorRepository mirror, InstanceResolver instances) {
        this.contacts = contacts;
        this.mirror = mirror;
        this.instances = instances;
    }

    /** The instance a request means (see {@link InstanceResolver}). */
    public Instance instance(TenantPrincipal principal, String instanceName) {
        return instances.resolve(principal, instanceName);
    }

    /** The instance with this numeric id (as text, from a path), if the caller may see it. */
    public Optional<Instance> instanceById(TenantPrincipal principal, String id) {
        try {
            return instances.visible(principal, Long.parseLong(id));
        } catch (NumberFormatException ex) {
            return Optional.empty();
        }
    }

    /**
     * A contact by id. The id of a contact merged into another (a LID row folded into the person's phone-number row)
     * answers with the row it was merged into.
     */
    public Contact get(TenantPrincipal principal, long id) {
        long target = id;
        for (int hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
            Optional<Contact> found = contacts.findById(target);
            if (found.isPresent()) {
                return found.filter(contact -> instances
                                .visible(principal, contact.instanceId())
                                .isPresent())
                        .orElseThrow(ContactLookup::notFound);
            }
            Optional<Long> survivor = contacts.survivorOf(target);
            if (survivor.isEmpty()) {
                break;
            }
            target = survivor.get();
        }
        throw notFound();
    }

    @Transactional(readOnly = true)
    public Contact lookup(TenantPrincipal principal, String instanceName, String phone, String jid) {
        Instance instance = instances.resolve(principal, instanceName);
        mirror.planForAnyInstance();
        return contacts.findByIdentity(instance.id(), identity(phone, jid)).orElseThrow(ContactLookup::notFound);
    }

    /** The normalized JID a phone or JID parameter names; exactly one of the two must be given. */
    static String identity(String phone, String jid) {
        boolean hasPhone = phone != null && !phone.isBlank();
        boolean hasJid = jid != null && !jid.isBlank();
        if (hasPhone == hasJid) {
            throw ApiException.invalid(hasPhone ? "jid" : "phone", "give exactly one of phone or jid");
        }
        Jids.Parsed parsed = Jids.parse(hasPhone ? phone : jid);
        if (hasPhone && parsed.kind() != Jids.Kind.PHONE) {
            throw ApiException.invalid("phone", "must be a phone number with country code (7-15 digits)");
        }
        if (hasJid && (parsed.kind() == Jids.Kind.INVALID || parsed.kind() == Jids.Kind.PHONE)) {
            throw ApiException.invalid(
                    "jid", "must be a JID like 5511999999999@s.whatsapp.net, 123@lid or 123-456@g.us");
        }
        return parsed.jid();
    }

    static ApiException notFound() {
        return new ApiException(ErrorCode.CONTACT_NOT_FOUND, "Contact not found");
    }
}
