package io.contactmirror.contact;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.connection.EngineSession;
import io.contactmirror.connection.InstanceStatus;
import io.contactmirror.connection.ProfilePicture;
import io.contactmirror.connection.SocketManager;
import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.PageResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/** The contacts API: listing and search, lookups, CRM edits, profile pictures and identifier resolution. */
@Service
public class ContactService {

    static final int MAX_RESOLVE = 160;
    /** A filtered list counts its matches exactly up to this many, and pages by offset only this deep. */
    static final int COUNT_CAP = 1_000;
    /** Offset pages of the unfiltered list up to this deep skip index entries; deeper ones start from {@link ListAnchors}. */
    static final long DIRECT_OFFSET = 10_000;
    /** Index entries a filtered list reads in order before it looks its matches up through the filter's index. */
    static final int WALK_BUDGET = 10_000;
    /**
     * Index entries a count may read along the list (≈ 0.3 µs each); a filter expected to need more is counted
     * through its own index instead (whose cost grows with all its matches, ≈ 0.2 µs each, plus a table check of each
     * counted one).
     */
    static final int COUNT_WALK_BUDGET = 40_000;
    /** Aliases point straight at the survivor; more than one hop only happens while a merge commits. */
    private static final int MAX_ALIAS_HOPS = 4;
    private static final Pattern PHONE_QUERY = Pattern.compile("^[+0-9 ().\\-]+$");
    private static final int EXPORT_CHUNK = 2_000;
    private static final Duration PICTURE_CACHE_TTL = Duration.ofMinutes(1);

    private final ContactRepository contacts;
    private final Contacts entities;
    private final ListAnchors anchors;
    private final ChangeLog changeLog;
    private final MirrorRepository mirror;
    private final InstanceResolver instances;
    private final SocketManager socketManager;
    private final Map<String, CachedPicture> pictureCache = new ConcurrentHashMap<>();

    ContactService(
            ContactRepository contacts,
            Contacts entities,
            ListAnchors anchors,
            MirrorRepository mirror,
            InstanceResolver instances,
            SocketManager socketManager,
            ChangeLog changeLog) {
        this.contacts = contacts;
        this.entities = entities;
        this.anchors = anchors;
        this.changeLog = changeLog;
        this.mirror = mirror;
        this.instances = instances;
        this.socketManager = socketManager;
    }

    record ContactPage(Instance instance, PageResult<Contact> page) {}

    /**
     * One page in list order (name, then id). A page continues from a cursor with one index seek; {@code page} is an
     * offset and served only as deep as that stays cheap. Filters (q, updatedSince) are answered by walking the list
     * index in order while they match densely, or through their own index when they match sparsely.
     */
    @Transactional(readOnly = true)
    public ContactPage list(
            TenantPrincipal principal,
            String instanceName,
            @Nullable String q,
            boolean includeGroups,
            int page,
            int limit,
            @Nullable String cursor,
            @Nullable Instant updatedSince) {
        Instance instance = instances.resolve(principal, instanceName);
        String pattern = likePattern(q);
        String fingerprint = ContactCursor.fingerprint(instance.id(), pattern, includeGroups, updatedSince == null ? null : updatedSince.toString());
        ContactCursor from = cursor == null || cursor.isEmpty() ? null : ContactCursor.decode(cursor, fingerprint);
        if (from != null && page != 1) {
            throw ApiException.invalid("page", "give either page or cursor, not both");
        }
        boolean filtered = pattern != null || updatedSince != null;
        long offset = PageResult.offset(page, limit);
        if (filtered && offset + limit > COUNT_CAP) {
            throw ApiException.invalid("page", "pages of a search or updatedSince filter reach its " + COUNT_CAP
                    + " counted matches; continue with cursor=<nextCursor of the previous page>, which reaches any depth");
        }
        ContactCursor.Position after = from == null ? null : from.after();
        long skip = offset;
        if (!filtered && offset > DIRECT_OFFSET) {
            ListAnchors.Seek seek = anchors.seek(instance, includeGroups, offset);
            after = seek.after();
            skip = seek.skip();
        }
        var query = new ContactRepository.ListQuery(instance.id(), pattern, includeGroups, updatedSince, after, skip, limit + 1);
        List<ContactCursor.Position> positions;
        // Index entries a walk from the start would read to count COUNT_CAP + 1 matches, judged by this page's walk.
        long countWalkCost = Long.MAX_VALUE;
        // Where a walk that found too few matches stopped, when a search without trigrams continues from there.
        ContactCursor.Position walkedTo = null;
        if (!filtered) {
            positions = contacts.walk(query, (int) skip + limit + 1);
        } else {
            ContactRepository.Walk walk = contacts.walked(query, WALK_BUDGET);
            positions = walk.positions();
            if (positions.size() > limit) {
                countWalkCost = (COUNT_CAP + 1) * walk.readToLast() / (offset + positions.size());
            } else {
                if (!trigramless(q)) {
                    positions = contacts.sparse(query);
                } else if (offset == 0) {
                    walkedTo = contacts.walkEnd(query, WALK_BUDGET).orElse(null);
                } else {
                    positions = contacts.walk(query, Integer.MAX_VALUE);
                }
            }
        }
        boolean hasMore = positions.size() > limit || walkedTo != null;
        List<ContactCursor.Position> onPage = positions.size() > limit ? positions.subList(0, limit) : positions;
        List<Contact> items = contacts.load(instance.id(), onPage);
        Total total;
        if (from != null) {
            total = new Total(from.total(), from.totalExact());
        } else if (!hasMore && (offset == 0 || !onPage.isEmpty())) {
            total = new Total(offset + onPage.size(), true);
        } else if (!filtered) {
            // Kept by the mirror and recounted on a schedule, so a million-contact list needs no count(*).
            total = new Total(instance.contactsCount() + (includeGroups ? instance.groupsCount() : 0), true);
        } else {
            total = countUpToCap(query, countWalkCost <= COUNT_WALK_BUDGET, trigramless(q));
        }
        ContactCursor.Position nextAfter = positions.size() > limit ? onPage.getLast() : walkedTo;
        String next = hasMore ? new ContactCursor(fingerprint, nextAfter, total.value(), total.exact()).encode() : null;
        return new ContactPage(instance, new PageResult<>(items, total.value(), total.exact(), page, limit, hasMore, next));
    }

    private record Total(long value, boolean exact) {}

    /**
     * Matches counted exactly up to {@link #COUNT_CAP}; beyond it the total is the cap and marked inexact. A search
     * without trigrams counts only along its walk: when that ends before the instance does, the total is what it
     * found, a lower bound.
     */
    private Total countUpToCap(ContactRepository.ListQuery query, boolean walkIsCheaper, boolean walkOnly) {
        long counted = walkIsCheaper || walkOnly
                ? contacts.countWalking(query, walkOnly ? WALK_BUDGET : COUNT_WALK_BUDGET, COUNT_CAP + 1)
                : 0;
        if (counted > COUNT_CAP) {
            return new Total(COUNT_CAP, false);
        }
        if (walkOnly) {
            return new Total(counted, contacts.walkEnd(query.fromStart(0), WALK_BUDGET).isEmpty());
        }
        counted = contacts.countSparse(query, COUNT_CAP + 1);
        return counted > COUNT_CAP ? new Total(COUNT_CAP, false) : new Total(counted, true);
    }

    /**
     * The LIKE pattern for a search: digits only when the query looks like a phone number (so "+55 11 9999-8888"
     * finds 551199998888), otherwise the folded text; wildcards in the query match literally.
     */
    static String likePattern(String q) {
        if (q == null || q.isBlank()) {
            return null;
        }
        return "%" + SearchText.likeLiteral(needle(q)) + "%";
    }

    private static String needle(String q) {
        String query = q.strip();
        String digits = Jids.digits(query);
        return PHONE_QUERY.matcher(query).matches() && digits.length() >= 2 ? digits : SearchText.fold(query);
    }

    /** Trigram indexes find nothing shorter than three characters: such a search can only walk the list. */
    private static boolean trigramless(@Nullable String q) {
        return q != null && !q.isBlank() && needle(q).length() < 3;
    }

    /**
     * Walks every contact of an instance in list order, chunk by chunk, for the compatibility routes that answer
     * with the whole list at once; memory stays bounded whatever the instance's size.
     */
    public void forEach(Instance instance, boolean includeGroups, java.util.function.Consumer<Contact> action) {
        ContactCursor.Position after = null;
        while (true) {
            var query = new ContactRepository.ListQuery(instance.id(), null, includeGroups, null, after, 0, EXPORT_CHUNK);
            List<ContactCursor.Position> chunk = contacts.walk(query, EXPORT_CHUNK);
            // Loaded outside a transaction: each chunk's entities are detached (and collectable) once it is written.
            contacts.load(instance.id(), chunk).forEach(action);
            if (chunk.size() < EXPORT_CHUNK) {
                return;
            }
            after = chunk.getLast();
        }
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
                return found.filter(contact -> instances.visible(principal, contact.instanceId()).isPresent())
                        .orElseThrow(ContactService::notFound);
            }
            Optional<Long> survivor = contacts.survivorOf(target);
            if (survivor.isEmpty()) {
                break;
            }
            target = survivor.get();
        }
        throw notFound();
    }

    public Contact lookup(TenantPrincipal principal, String instanceName, String phone, String jid) {
        Instance instance = instances.resolve(principal, instanceName);
        return contacts.findByIdentity(instance.id(), identity(phone, jid)).orElseThrow(ContactService::notFound);
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
            throw ApiException.invalid("jid", "must be a JID like 5511999999999@s.whatsapp.net, 123@lid or 123-456@g.us");
        }
        return parsed.jid();
    }

    @Transactional
    public SavedContact save(TenantPrincipal principal, String instanceName, String phone, String jid, String name) {
        Instance instance = instances.resolve(principal, instanceName);
        String identity = identity(phone, jid);
        Optional<Contact> existing = contacts.findByIdentity(instance.id(), identity);
        ContactRepository.Saved saved = contacts.save(instance.id(), existing.map(Contact::jid).orElse(identity), name);
        Contact contact = contacts.findById(saved.id()).orElseThrow();
        if (saved.created()) {
            mirror.addToCounts(instance.id(), Jids.isGroup(identity) ? new MirrorRepository.Counts(0, 1) : new MirrorRepository.Counts(1, 0));
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
                throw new ApiException(ErrorCode.PRECONDITION_FAILED, "The contact was changed concurrently; read it again and retry");
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
        for (int attempt = 0; attempt < MAX_ALIAS_HOPS; attempt++) {
            Contact seen = get(principal, id);
            Optional<Contact> locked = contacts.lockById(seen.id());
            if (locked.isPresent()) {
                return locked.get();
            }
        }
        throw notFound();
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
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (var entry : patch.properties()) {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                result.set(entry.getKey(), mergePatch(result.get(entry.getKey()), entry.getValue()));
            }
        }
        return result;
    }

    /** The answer of the profile-picture endpoint (shape of the WUTS seed API). */
    public record PictureResult(String jid, String url, String id, boolean preview, boolean changed) {}

    private record CachedPicture(Optional<ProfilePicture> picture, Instant expiresAt) {}

    public CompletableFuture<PictureResult> profilePicture(
            TenantPrincipal principal, String instanceName, String phone, String jid, boolean preview, String existingId) {
        Instance instance = instances.resolve(principal, instanceName);
        String identity = identity(phone, jid);
        String cacheKey = instance.id() + "|" + identity + "|" + preview;
        CachedPicture cached = pictureCache.get(cacheKey);
        CompletableFuture<Optional<ProfilePicture>> picture;
        if (cached != null && cached.expiresAt().isAfter(Instant.now())) {
            picture = CompletableFuture.completedFuture(cached.picture());
        } else {
            EngineSession session = liveSession(instance);
            Duration timeout = socketManager.liveQueryTimeout();
            picture = session.queryProfilePicture(identity, preview)
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(ex -> {
                        Throwable cause = ex instanceof java.util.concurrent.CompletionException ? ex.getCause() : ex;
                        throw cause instanceof TimeoutException
                                ? new ApiException(ErrorCode.ENGINE_TIMEOUT, "WhatsApp did not answer within " + timeout.toSeconds() + " s")
                                : new ApiException(ErrorCode.NOT_CONNECTED, "The instance's session could not answer: " + cause.getMessage());
                    })
                    .thenApply(result -> {
                        pictureCache.put(cacheKey, new CachedPicture(result, Instant.now().plus(PICTURE_CACHE_TTL)));
                        result.ifPresent(found -> contacts.savePicture(instance.id(), identity, found.url(), found.id()));
                        return result;
                    });
        }
        return picture.thenApply(found -> {
            String id = found.map(ProfilePicture::id).orElse(null);
            boolean changed = existingId == null || !existingId.equals(id);
            return new PictureResult(
                    identity,
                    changed ? found.map(ProfilePicture::url).orElse(null) : null,
                    id,
                    preview,
                    changed);
        });
    }

    private EngineSession liveSession(Instance instance) {
        return socketManager.localSession(instance.id()).orElseThrow(() -> instance.status() == InstanceStatus.CONNECTED
                ? new ApiException(
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The instance's session is held by another replica right now; retry (Retry-After: 1)")
                : new ApiException(ErrorCode.NOT_CONNECTED, "The instance has no live session (status " + instance.status() + ")"));
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

    public ResolveResult resolve(TenantPrincipal principal, String instanceName, List<String> identifiers, String groupJid) {
        if (identifiers == null || identifiers.isEmpty() || identifiers.size() > MAX_RESOLVE) {
            throw ApiException.invalid("identifiers", "must hold 1 to " + MAX_RESOLVE + " identifiers");
        }
        Instance instance = instances.resolve(principal, instanceName);
        Set<String> participants = null;
        if (groupJid != null && !groupJid.isBlank()) {
            Jids.Parsed group = Jids.parse(groupJid);
            if (group.kind() != Jids.Kind.GROUP) {
                throw ApiException.invalid("groupJid", "must be a group JID like 120363012345678901@g.us");
            }
            participants = new HashSet<>(contacts.participants(instance.id(), group.jid()));
        }
        List<Jids.Parsed> parsed = identifiers.stream().map(Jids::parse).toList();
        List<String> lids = parsed.stream().filter(p -> p.kind() == Jids.Kind.LID).map(Jids.Parsed::jid).toList();
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
        List<Contact> candidates = jids.isEmpty() ? List.of() : contacts.findByIdentities(instance.id(), jids, phoneKeys);
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
            contact = byIdentity.getOrDefault(phoneJid, byIdentity.get("key:" + Jids.phoneKey(Jids.phoneOf(phoneJid).orElseThrow())));
        }
        if (contact == null && lid != null) {
            contact = byIdentity.get(lid);
        }
        if (contact != null && participants != null
                && !participants.contains(contact.jid())
                && (contact.lid() == null || !participants.contains(contact.lid()))) {
            contact = null;
        }
        if (contact == null) {
            String bestJid = phoneJid != null ? phoneJid : lid;
            return new Resolution(input, type, bestJid, lid, Jids.phoneOf(phoneJid).orElse(null), null, null, null, false);
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

    static ApiException notFound() {
        return new ApiException(ErrorCode.CONTACT_NOT_FOUND, "Contact not found");
    }
}
