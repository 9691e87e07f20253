package io.contactmirror.contact;

import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Batch resolution of phone numbers, phone-number JIDs and LIDs to the best-known identity of each. */
@Service
public class IdentifierResolver {

    static final int MAX_RESOLVE = 160;

    private final ContactRepository contacts;
    private final MirrorRepository mirror;
    private final InstanceResolver instances;

    IdentifierResolver(ContactRepository contacts, MirrorRepository mirror, InstanceResolver instances) {
        this.contacts = contacts;
        this.mirror = mirror;
        this.instances = instances;
    }

    /** One resolved identifier, in the order it was asked. */
    public record Resolution(
            String input,
            String type,
            @Nullable String jid,
            @Nullable String lid,
            @Nullable String phone,
            @Nullable String name,
            @Nullable String pushName,
            @Nullable String businessName,
            boolean found) {}

    public record ResolveResult(Instance instance, List<Resolution> results) {}

    @Transactional(readOnly = true)
    public ResolveResult resolve(
            TenantPrincipal principal, String instanceName, List<String> identifiers, String groupJid) {
        if (identifiers == null || identifiers.isEmpty() || identifiers.size() > MAX_RESOLVE) {
            throw ApiException.invalid("identifiers", "must hold 1 to " + MAX_RESOLVE + " identifiers");
        }
        Instance instance = instances.resolve(principal, instanceName);
        mirror.planForAnyInstance();
        Set<String> participants = null;
        if (groupJid != null && !groupJid.isBlank()) {
            Jids.Parsed group = Jids.parse(groupJid);
            if (group.kind() != Jids.Kind.GROUP) {
                throw ApiException.invalid("groupJid", "must be a group JID like 120363012345678901@g.us");
            }
            participants = new HashSet<>(contacts.participants(instance.id(), group.jid()));
        }
        List<Jids.Parsed> parsed = identifiers.stream().map(Jids::parse).toList();
        List<String> lids = parsed.stream()
                .filter(p -> p.kind() == Jids.Kind.LID)
                .map(Jids.Parsed::jid)
                .toList();
        Map<String, String> lidToPhone = lids.isEmpty() ? Map.of() : mirror.phoneJidsOfLids(instance.id(), lids);
        Set<String> jids = new HashSet<>();
        Set<String> phoneKeys = new HashSet<>();
        for (Jids.Parsed p : parsed) {
            if (p.jid() != null) {
                jids.add(p.jid());
                Jids.phoneOf(p.jid()).map(Jids::phoneKey).ifPresent(phoneKeys::add);
            }
        }
        lidToPhone.values().forEach(phoneJid -> {
            jids.add(phoneJid);
            Jids.phoneOf(phoneJid).map(Jids::phoneKey).ifPresent(phoneKeys::add);
        });
        List<Contact> candidates =
                jids.isEmpty() ? List.of() : contacts.findByIdentities(instance.id(), jids, phoneKeys);
        Map<String, Contact> byIdentity = new HashMap<>();
        for (Contact contact : candidates) {
            byIdentity.put(contact.jid(), contact);
            if (contact.lid() != null) {
                byIdentity.put(contact.lid(), contact);
            }
            if (contact.phone() != null) {
                byIdentity.putIfAbsent("key:" + Jids.phoneKey(contact.phone()), contact);
            }
        }
        List<Resolution> results = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
            results.add(resolveOne(identifiers.get(i), parsed.get(i), lidToPhone, byIdentity, participants));
        }
        return new ResolveResult(instance, results);
    }

    private static Resolution resolveOne(
            String input,
            Jids.Parsed parsed,
            Map<String, String> lidToPhone,
            Map<String, Contact> byIdentity,
            Set<String> participants) {
        String type = switch (parsed.kind()) {
            case PHONE -> "phone";
            case PN -> "pn";
            case LID -> "lid";
            case GROUP, INVALID -> "invalid";
        };
        if (type.equals("invalid")) {
            return new Resolution(input, "invalid", null, null, null, null, null, null, false);
        }
        String lid = parsed.kind() == Jids.Kind.LID ? parsed.jid() : null;
        String phoneJid = parsed.kind() == Jids.Kind.LID ? lidToPhone.get(parsed.jid()) : parsed.jid();
        Contact contact = null;
        if (phoneJid != null) {
            contact = byIdentity.getOrDefault(
                    phoneJid,
                    byIdentity.get("key:" + Jids.phoneKey(Jids.phoneOf(phoneJid).orElseThrow())));
        }
        if (contact == null && lid != null) {
            contact = byIdentity.get(lid);
        }
        if (contact != null
                && participants != null
                && !participants.contains(contact.jid())
                && (contact.lid() == null || !participants.contains(contact.lid()))) {
            contact = null;
        }
        if (contact == null) {
            String bestJid = phoneJid != null ? phoneJid : lid;
            return new Resolution(
                    input, type, bestJid, lid, Jids.phoneOf(phoneJid).orElse(null), null, null, null, false);
        }
        return new Resolution(
                input,
                type,
                contact.jid(),
                contact.lid() != null ? contact.lid() : lid,
                contact.phone(),
                contact.displayName(),
                contact.pushName(),
                contact.businessName(),
                true);
    }
}
