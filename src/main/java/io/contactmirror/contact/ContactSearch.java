package io.contactmirror.contact;

import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.PageResult;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Listing and search: pages in list order by cursor or number, filters, capped totals, and whole-list walks. */
@Service
public class ContactSearch {

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
    /**
     * Index entries a search with more than {@link #COUNT_CAP} matches reads to fill a page when its matches cluster
     * beyond the first {@link #WALK_BUDGET} (≈ 0.5 µs each); beyond that it sorts its matches found by trigram.
     */
    static final int CLUSTERED_WALK_BUDGET = 200_000;

    private static final Pattern PHONE_QUERY = Pattern.compile("^[+0-9 ().\\-]+$");
    private static final int EXPORT_CHUNK = 2_000;

    private final ContactRepository contacts;
    private final ListAnchors anchors;
    private final InstanceResolver instances;
    private final ContactCounters counters;

    ContactSearch(
            ContactRepository contacts, ListAnchors anchors, InstanceResolver instances, ContactCounters counters) {
        this.contacts = contacts;
        this.anchors = anchors;
        this.instances = instances;
        this.counters = counters;
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
        String fingerprint = ContactCursor.fingerprint(
                instance.id(), pattern, includeGroups, updatedSince == null ? null : updatedSince.toString());
        ContactCursor from = cursor == null || cursor.isEmpty() ? null : ContactCursor.decode(cursor, fingerprint);
        if (from != null && page != 1) {
            throw ApiException.invalid("page", "give either page or cursor, not both");
        }
        boolean filtered = pattern != null || updatedSince != null;
        long offset = PageResult.offset(page, limit);
        if (filtered && offset + limit > COUNT_CAP) {
            throw ApiException.invalid(
                    "page",
                    "pages of a search or updatedSince filter reach its " + COUNT_CAP
                            + " counted matches; continue with cursor=<nextCursor of the previous page>, which reaches any depth");
        }
        ContactCursor.Position after = from == null ? null : from.after();
        long skip = offset;
        if (!filtered && offset > DIRECT_OFFSET) {
            ListAnchors.Seek seek = anchors.seek(instance, includeGroups, offset);
            after = seek.after();
            skip = seek.skip();
        }
        var query = new ContactRepository.ListQuery(
                instance.id(), pattern, includeGroups, updatedSince, after, skip, limit + 1);
        List<ContactCursor.Position> positions;
        // Index entries a walk from the start would read to count COUNT_CAP + 1 matches, judged by this page's walk.
        long countWalkCost = Long.MAX_VALUE;
        // Where a walk that found too few matches stopped, when a search without trigrams continues from there.
        ContactCursor.Position walkedTo = null;
        // The matches counted while choosing the search's path, when it took one.
        Total counted = null;
        if (!filtered) {
            positions = contacts.walk(query, (int) skip + limit + 1);
        } else {
            ContactRepository.Walk walk = contacts.walked(query, WALK_BUDGET);
            positions = walk.positions();
            if (positions.size() > limit) {
                countWalkCost = (COUNT_CAP + 1) * walk.readToLast() / (offset + positions.size());
            } else {
                if (!trigramless(q)) {
                    // Few matches in the first entries: either few at all (sorted cheaply through the trigram index)
                    // or many that cluster further down the list, where sorting them all would cost more than
                    // walking on to them.
                    if (from != null) {
                        positions = from.totalExact() ? contacts.sparse(query) : clustered(query, limit);
                    } else {
                        Found found = beyondTheFirstWalk(query, limit);
                        counted = found.total();
                        positions = found.positions();
                    }
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
        } else if (counted != null) {
            total = counted;
        } else if (!filtered) {
            // Kept by the mirror and recounted on a schedule, so a million-contact list needs no count(*).
            total = new Total(counters.of(instance.id()).total(includeGroups), true);
        } else {
            total = countUpToCap(query, countWalkCost <= COUNT_WALK_BUDGET, trigramless(q));
        }
        ContactCursor.Position nextAfter = positions.size() > limit ? onPage.getLast() : walkedTo;
        String next = hasMore ? new ContactCursor(fingerprint, nextAfter, total.value(), total.exact()).encode() : null;
        return new ContactPage(
                instance, new PageResult<>(items, total.value(), total.exact(), page, limit, hasMore, next));
    }

    private record Total(long value, boolean exact) {}

    private record Found(List<ContactCursor.Position> positions, Total total) {}

    /**
     * The page and total of a search whose first walk found less than a page: few matches are counted and sorted
     * through the filter's index. A search the planner expects to match many, densely enough (see
     * {@link #countsAlongTheList}), is walked on along the list instead, counting as it goes: its first
     * {@link #COUNT_CAP} matches cluster somewhere, and reading to them costs less than reading all its candidates from
     * the index. When that walk finds fewer (the estimate was wrong), the index decides.
     */
    private Found beyondTheFirstWalk(ContactRepository.ListQuery query, int limit) {
        long expected = contacts.expectedMatches(query);
        if (countsAlongTheList(expected, () -> counters.of(query.instanceId()).total(query.includeGroups()))) {
            ContactRepository.Counted walked = contacts.walkCounted(query, CLUSTERED_WALK_BUDGET, COUNT_CAP + 1);
            if (walked.matches() > COUNT_CAP) {
                return new Found(walked.positions(), new Total(COUNT_CAP, false));
            }
        }
        ContactRepository.Counted matches = contacts.sparseCounted(query, COUNT_CAP + 1);
        if (matches.matches() > COUNT_CAP) {
            return new Found(clustered(query, limit), new Total(COUNT_CAP, false));
        }
        return new Found(matches.positions(), new Total(matches.matches(), true));
    }

    /**
     * Whether a search expected to match {@code expected} of an instance's entries, and found sparse in its first walk,
     * is counted along the list: it is expected to match at least twice the cap, its matches cluster further down, and
     * even at half the expected density they would be counted past the cap within the walk's budget. Estimates err
     * (one sampled value of the column stands for 0.1 % of the table), and a walk that reads its whole budget in vain
     * costs more than the count through the index it was meant to spare. The instance's size is read only when the
     * first condition holds.
     */
    static boolean countsAlongTheList(long expected, LongSupplier size) {
        return expected >= 2L * COUNT_CAP
                && expected * CLUSTERED_WALK_BUDGET >= 2L * (COUNT_CAP + 1) * size.getAsLong();
    }

    /**
     * A search with more than {@link #COUNT_CAP} matches that cluster beyond the first walk: walked on to them, or
     * sorted through the index when even the longer walk finds less than a page.
     */
    private List<ContactCursor.Position> clustered(ContactRepository.ListQuery query, int limit) {
        List<ContactCursor.Position> walked = contacts.walk(query, CLUSTERED_WALK_BUDGET);
        return walked.size() > limit ? walked : contacts.sparse(query);
    }

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
            return new Total(
                    counted, contacts.walkEnd(query.fromStart(0), WALK_BUDGET).isEmpty());
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

    /** A JID in the query is searched by what precedes its server, the only part of it the search text holds. */
    private static String needle(String q) {
        String query = q.strip();
        if (query.indexOf('@') > 0) {
            query = Jids.user(query).strip();
        }
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
            var query =
                    new ContactRepository.ListQuery(instance.id(), null, includeGroups, null, after, 0, EXPORT_CHUNK);
            List<ContactCursor.Position> chunk = contacts.walk(query, EXPORT_CHUNK);
            // Loaded outside a transaction: each chunk's entities are detached (and collectable) once it is written.
            contacts.load(instance.id(), chunk).forEach(action);
            if (chunk.size() < EXPORT_CHUNK) {
                return;
            }
            after = chunk.getLast();
        }
    }
}
