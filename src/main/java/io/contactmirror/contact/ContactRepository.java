package io.contactmirror.contact;

import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hibernate.Session;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads of contacts. Positions in list order (name, then id) are found in plain SQL on the list indexes, then the
 * page's contacts are loaded as entities by id, with their chats, in one more query: Spring Data's keyset
 * scrolling writes its position as {@code a > ? OR (a = ? AND b > ?)}, which PostgreSQL cannot start an index scan
 * from, so a deep window would scan every row before it. Every query is scoped by instance id, which the caller
 * resolved for the tenant.
 */
@Repository
class ContactRepository {

    /** The first "Plan Rows" of a JSON plan is its top node's: a node's own fields come before its children. */
    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\": ([0-9]+)");

    private final JdbcClient jdbc;
    private final Contacts contacts;
    private final Chats chats;
    private final EntityManager entityManager;

    ContactRepository(JdbcClient jdbc, Contacts contacts, Chats chats, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.entityManager = entityManager;
        this.contacts = contacts;
        this.chats = chats;
    }

    /** What a list asks for: its filters and where the wanted rows start. */
    record ListQuery(
            long instanceId,
            @Nullable String likePattern,
            boolean includeGroups,
            @Nullable Instant updatedSince,
            ContactCursor.@Nullable Position after,
            long offset,
            int rows) {

        ListQuery fromStart(int rows) {
            return new ListQuery(instanceId, likePattern, includeGroups, updatedSince, null, 0, rows);
        }
    }

    /**
     * Up to {@code rows} positions after the query's start, walking the list index in order and testing the filters on
     * each entry; at most {@code budget} entries are read, so a filter that matches sparsely ends early (with fewer
     * rows than asked) instead of reading the whole instance. Index: contacts_walk_people_idx (covering: no table
     * access), or contacts_list_idx with groups.
     */
    List<ContactCursor.Position> walk(ListQuery query, int budget) {
        return jdbc.sql(walkSql(query))
                .params(params(query))
                .param("budget", budget)
                .query((rs, row) -> new ContactCursor.Position(rs.getString("sort_name"), rs.getLong("id")))
                .list();
    }

    /** Named parameters: instance, budget, rows, offset, and those of the filters and start. */
    static String walkSql(ListQuery query) {
        return "SELECT x.id, x.sort_name FROM (" + inOrder(query, "c.id, c.sort_name, c.search_text, c.updated_at")
                + " LIMIT :budget) x WHERE true" + filters(query, "x") + " LIMIT :rows OFFSET :offset";
    }

    /** What a walk found, and how many index entries it read up to its last match (0 when it found none). */
    record Walk(List<ContactCursor.Position> positions, long readToLast) {}

    /**
     * As {@link #walk}, also telling how densely the filter matched along the way. Numbering the entries is a window
     * over every entry read (on a walk of 95,000 entries: 29 against 14 ms alone, 17.0 against 14.8 ms inside a page
     * load), so only the walk that judges a filter's density numbers them.
     */
    Walk walked(ListQuery query, int budget) {
        long[] readToLast = {0};
        List<ContactCursor.Position> positions = jdbc.sql(walkedSql(query))
                .params(params(query))
                .param("budget", budget)
                .query((rs, row) -> {
                    readToLast[0] = rs.getLong("n");
                    return new ContactCursor.Position(rs.getString("sort_name"), rs.getLong("id"));
                })
                .list();
        return new Walk(positions, readToLast[0]);
    }

    /** Named parameters: instance, budget, rows, offset, and those of the filters and start. */
    static String walkedSql(ListQuery query) {
        return "SELECT w.id, w.sort_name, w.n FROM (SELECT x.*, row_number() OVER () AS n FROM ("
                + inOrder(query, "c.id, c.sort_name, c.search_text, c.updated_at")
                + " LIMIT :budget) x) w WHERE true" + filters(query, "w")
                + " LIMIT :rows OFFSET :offset";
    }

    /**
     * The last of {@code budget} index entries a {@link #walk} reads, whatever they match; empty when the list ends
     * before. Index: as {@link #walk}.
     */
    Optional<ContactCursor.Position> walkEnd(ListQuery query, int budget) {
        return jdbc.sql(walkEndSql(query))
                .params(params(query))
                .param("last", budget - 1)
                .query((rs, row) -> new ContactCursor.Position(rs.getString("sort_name"), rs.getLong("id")))
                .optional();
    }

    /** Named parameters: instance, last, and those of the start. */
    static String walkEndSql(ListQuery query) {
        return inOrder(query, "c.id, c.sort_name") + " OFFSET :last LIMIT 1";
    }

    /**
     * The positions after the query's start among all matches, found through the filter's own index and sorted:
     * for filters that match few rows. contacts_search_idx (GIN trigrams) for q, contacts_updated_idx for
     * updatedSince; MATERIALIZED keeps the planner from walking the list index instead.
     */
    List<ContactCursor.Position> sparse(ListQuery query) {
        return jdbc.sql(sparseSql(query))
                .params(params(query))
                .query((rs, row) -> new ContactCursor.Position(rs.getString("sort_name"), rs.getLong("id")))
                .list();
    }

    /** Named parameters: instance, rows, offset, and those of the filters and start. */
    static String sparseSql(ListQuery query) {
        return "WITH m AS MATERIALIZED (SELECT c.id, c.sort_name FROM contacts c WHERE c.instance_id = :instance"
                + groups(query) + filters(query, "c") + after(query)
                + ") SELECT id, sort_name FROM m ORDER BY sort_name, id LIMIT :rows OFFSET :offset";
    }

    /** The first matches of a search in list order, and how many it has up to the cap it was counted to. */
    record Counted(List<ContactCursor.Position> positions, long matches) {}

    /**
     * As {@link #sparse} from the start, and the matches counted up to {@code cap}, in one pass over the filter's
     * index: the index scan (for a trigram search, the posting lists and a table check of each candidate) is what
     * costs, and counting then sorting would pay it twice. The positions are the query's page only when fewer than
     * {@code cap} matched; otherwise they come from an arbitrary {@code cap} of the matches.
     */
    Counted sparseCounted(ListQuery query, long cap) {
        return counted(sparseCountedSql(query), query, Map.of("cap", cap));
    }

    /** Named parameters: instance, cap, rows, offset, and those of the filters. */
    static String sparseCountedSql(ListQuery query) {
        return countedSql("SELECT c.id, c.sort_name FROM contacts c WHERE c.instance_id = :instance" + groups(query)
                + filters(query, "c") + " LIMIT :cap");
    }

    /**
     * The first {@code cap} matches along the list from the start (at most {@code budget} entries read), counted, and
     * the query's page of them: for a search expected to match far more than {@code cap}, whose first {@code cap}
     * matches are then fewer entries away than all its candidates in the filter's index. Index: as {@link #walk}.
     */
    Counted walkCounted(ListQuery query, int budget, long cap) {
        return counted(walkCountedSql(query), query, Map.of("cap", cap, "budget", budget));
    }

    /** Named parameters: instance, budget, cap, rows, offset, and those of the filters. */
    static String walkCountedSql(ListQuery query) {
        return countedSql("SELECT x.id, x.sort_name FROM ("
                + inOrder(query.fromStart(0), "c.id, c.sort_name, c.search_text, c.updated_at")
                + " LIMIT :budget) x WHERE true" + filters(query, "x") + " LIMIT :cap");
    }

    /** One row even when the page is empty, to carry the count. */
    private static String countedSql(String matches) {
        return "WITH m AS MATERIALIZED (" + matches + ")"
                + " SELECT p.id, p.sort_name, t.matches FROM (SELECT count(*) AS matches FROM m) t"
                + " LEFT JOIN LATERAL (SELECT id, sort_name FROM m ORDER BY sort_name, id LIMIT :rows OFFSET :offset) p"
                + " ON true";
    }

    private Counted counted(String sql, ListQuery query, Map<String, Object> bounds) {
        long[] matches = {0};
        List<ContactCursor.Position> positions = jdbc
                .sql(sql)
                .params(params(query.fromStart(query.rows())))
                .param("offset", query.offset())
                .params(bounds)
                .query((rs, row) -> {
                    matches[0] = rs.getLong("matches");
                    long id = rs.getLong("id");
                    return rs.wasNull() ? null : new ContactCursor.Position(rs.getString("sort_name"), id);
                })
                .list()
                .stream()
                .filter(Objects::nonNull)
                .toList();
        return new Counted(positions, matches[0]);
    }

    /**
     * How many rows of the instance the planner expects the query's filters to match: an estimate from the statistics
     * ANALYZE keeps (a sample of the search texts), read from the plan without running it, in well under a
     * millisecond. Wrong when the statistics are stale, so it may choose a path but never decide an answer.
     */
    long expectedMatches(ListQuery query) {
        return planRows(jdbc.sql(expectedMatchesSql(query))
                .params(params(query.fromStart(0)))
                .query(String.class)
                .single());
    }

    /** The rows a JSON plan expects its top node to return. */
    static long planRows(String plan) {
        Matcher rows = PLAN_ROWS.matcher(plan);
        if (!rows.find()) {
            throw new IllegalStateException("no row estimate in the plan " + plan);
        }
        return Long.parseLong(rows.group(1));
    }

    /** Named parameters: instance, and those of the filters. */
    static String expectedMatchesSql(ListQuery query) {
        return "EXPLAIN (FORMAT JSON) SELECT 1 FROM contacts c WHERE c.instance_id = :instance" + groups(query)
                + filters(query, "c");
    }

    /** Matches counted along the list index from the start, up to {@code cap} and within {@code budget} entries. */
    long countWalking(ListQuery query, int budget, long cap) {
        return jdbc.sql(countWalkingSql(query))
                .params(params(query.fromStart(0)))
                .param("budget", budget)
                .param("cap", cap)
                .query(Long.class)
                .single();
    }

    /** Named parameters: instance, budget, cap, and those of the filters. */
    static String countWalkingSql(ListQuery query) {
        return "SELECT count(*) FROM (SELECT 1 FROM (" + inOrder(query.fromStart(0), "c.search_text, c.updated_at")
                + " LIMIT :budget) w WHERE true" + filters(query, "w") + " LIMIT :cap) x";
    }

    /** Matches counted through the filter's own index, up to {@code cap}. Index: as {@link #sparse}. */
    long countSparse(ListQuery query, long cap) {
        return jdbc.sql(countSparseSql(query))
                .params(params(query.fromStart(0)))
                .param("cap", cap)
                .query(Long.class)
                .single();
    }

    /** Named parameters: instance, cap, and those of the filters. */
    static String countSparseSql(ListQuery query) {
        return "SELECT count(*) FROM (SELECT 1 FROM contacts c WHERE c.instance_id = :instance" + groups(query)
                + filters(query, "c") + " LIMIT :cap) x";
    }

    /**
     * The list index from the query's start on (the caller adds LIMIT). The instance is a scalar subquery, whose
     * value the planner does not look up in the statistics, so it plans for an average instance: for one the
     * statistics have not seen yet (synced since the last ANALYZE) it would expect a single row and might read the
     * whole instance through another index and sort it (2,050 index entries for a first page of 50 in
     * UnanalyzedInstanceTest) instead of walking the list index to the page.
     */
    private static String inOrder(ListQuery query, String columns) {
        return "SELECT " + columns + " FROM contacts c WHERE c.instance_id = (SELECT CAST(:instance AS bigint))"
                + groups(query) + after(query) + " ORDER BY c.sort_name, c.id";
    }

    /**
     * Literal filters rather than {@code (:groups OR NOT is_group)}: only a literal {@code NOT c.is_group} lets the
     * planner use the partial index contacts_walk_people_idx.
     */
    private static String groups(ListQuery query) {
        return query.includeGroups() ? "" : " AND NOT c.is_group";
    }

    private static String filters(ListQuery query, String alias) {
        return (query.likePattern() == null ? "" : " AND " + alias + ".search_text LIKE :pattern ESCAPE '\\'")
                + (query.updatedSince() == null ? "" : " AND " + alias + ".updated_at >= :since");
    }

    private static String after(ListQuery query) {
        return query.after() == null
                ? ""
                : " AND (c.sort_name, c.id) > (CAST(:sortName AS varchar) COLLATE \"C\", :id)";
    }

    private static Map<String, Object> params(ListQuery query) {
        Map<String, Object> params = new HashMap<>();
        params.put("instance", query.instanceId());
        params.put("rows", query.rows());
        params.put("offset", query.offset());
        if (query.likePattern() != null) {
            params.put("pattern", query.likePattern());
        }
        if (query.updatedSince() != null) {
            params.put("since", Timestamp.from(query.updatedSince()));
        }
        if (query.after() != null) {
            params.put("sortName", query.after().sortName());
            params.put("id", query.after().id());
        }
        return params;
    }

    /**
     * The contacts at these positions, in this order, with their chats: one query whatever the page size (the chat
     * joined by (instance, JID) on the fly, so nothing else that loads a contact pays for it). Index: contacts primary
     * key, chats (instance_id, jid) unique. The instance is checked on the loaded rows rather than named in the query:
     * for an instance that statistics have not seen yet (synced since the last ANALYZE) the planner would expect it to
     * hold one row, read the whole instance instead of the ids and join every chat of it to each contact (34 ms
     * against 0.3 ms for a page of an unanalyzed 100,000-contact instance; 365 ms p50 under load with 10,000 chats).
     */
    List<Contact> load(long instanceId, List<ContactCursor.Position> positions) {
        if (positions.isEmpty()) {
            return List.of();
        }
        List<Long> ids = positions.stream().map(ContactCursor.Position::id).toList();
        // The ids bound as one array through in_array (see ArrayFunctions): an IN list of one parameter per id, or an
        // array inside sql(...), makes Hibernate translate the query from HQL anew on every call (0.91 against
        // 0.62 ms per load of 51 ids, in-process).
        List<Object[]> rows = entityManager
                .createQuery(
                        "SELECT c, ch FROM Contact c LEFT JOIN Chat ch ON ch.instanceId = c.instanceId AND ch.jid = c.jid"
                                + " WHERE in_array(:ids, c.id)",
                        Object[].class)
                .setParameter("ids", ids.toArray(Long[]::new))
                .getResultList();
        Map<Long, Contact> byId = new HashMap<>();
        for (Object[] row : rows) {
            Contact contact = (Contact) row[0];
            if (contact.instanceId() != instanceId) {
                throw new IllegalStateException("contact " + contact.id() + " is not of instance " + instanceId);
            }
            contact.attach((Chat) row[1]);
            byId.put(contact.id(), contact);
        }
        return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
    }

    /** Attaches each contact's chat (one query for all). Index: chats (instance_id, jid) unique. */
    List<Contact> withChats(long instanceId, List<Contact> page) {
        if (!page.isEmpty()) {
            List<String> jids = page.stream().map(Contact::jid).toList();
            Map<String, Chat> byJid = chats.findByInstanceIdAndJidIn(instanceId, jids).stream()
                    .collect(Collectors.toMap(Chat::jid, Function.identity()));
            page.forEach(contact -> contact.attach(byJid.get(contact.jid())));
        }
        return page;
    }

    /** A contact by id with its chat; the caller checks that its instance is visible to the tenant. */
    Optional<Contact> findById(long id) {
        return contacts.findById(id)
                .map(contact ->
                        withChats(contact.instanceId(), List.of(contact)).getFirst());
    }

    /**
     * As {@link #findById}, locked until the transaction ends so a merge cannot fold the row away under an edit, and
     * re-read under the lock: the entity may already be in the persistence context from before the lock was taken.
     */
    Optional<Contact> lockById(long id) {
        // Locked in SQL first: a row a merge deleted is then simply absent, where a failed entity refresh would mark
        // the whole transaction rollback-only.
        boolean present = jdbc.sql("SELECT 1 FROM contacts WHERE id = ? FOR UPDATE")
                .param(id)
                .query(Integer.class)
                .optional()
                .isPresent();
        if (!present) {
            // The caller read the row before a merge deleted it: forget that copy, so its next read finds the alias.
            entityManager.clear();
            return Optional.empty();
        }
        Contact contact = contacts.findById(id).orElseThrow();
        entityManager.refresh(contact);
        return Optional.of(withChats(contact.instanceId(), List.of(contact)).getFirst());
    }

    /** The row a merged-away contact id now lives on. Index: contact_aliases primary key. */
    Optional<Long> survivorOf(long id) {
        return jdbc.sql("SELECT survivor_id FROM contact_aliases WHERE old_id = ?")
                .param(id)
                .query(Long.class)
                .optional();
    }

    /**
     * A contact by phone (either Brazilian form), phone-number JID, LID or group JID. Indexes: (instance_id, jid)
     * unique, contacts_phone_key_idx, contacts_lid_idx.
     */
    Optional<Contact> findByIdentity(long instanceId, String jid) {
        String phoneKey = Jids.phoneOf(jid).map(Jids::phoneKey).orElse(null);
        return jdbc.sql("""
                        SELECT c.id FROM contacts c
                        WHERE c.instance_id = :instance
                          AND (c.jid = :jid OR c.lid = :jid OR (CAST(:phoneKey AS text) IS NOT NULL AND c.phone_key = :phoneKey))
                        ORDER BY (c.jid = :jid) DESC LIMIT 1""")
                .param("instance", instanceId)
                .param("jid", jid)
                .param("phoneKey", phoneKey)
                .query(Long.class)
                .optional()
                .flatMap(this::findById);
    }

    List<Contact> findByIdentities(long instanceId, Collection<String> jids, Collection<String> phoneKeys) {
        List<Long> ids = jdbc.sql("""
                        SELECT c.id FROM contacts c
                        WHERE c.instance_id = ? AND (c.jid = ANY(?) OR c.lid = ANY(?) OR c.phone_key = ANY(?))""")
                .param(instanceId)
                .param(jids.toArray(String[]::new))
                .param(jids.toArray(String[]::new))
                .param(phoneKeys.toArray(String[]::new))
                .query(Long.class)
                .list();
        return findAllById(ids);
    }

    /**
     * The contacts with these ids that still exist, in this order: one statement with the ids as an array, through
     * Hibernate's multi-load (no query to translate per call, unlike a derived {@code findByIdIn}).
     */
    private List<Contact> findAllById(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return entityManager.unwrap(Session.class).findMultiple(Contact.class, ids).stream()
                .filter(Objects::nonNull)
                .toList();
    }

    List<String> participants(long instanceId, String groupJid) {
        return jdbc.sql("SELECT participant_jid FROM group_participants WHERE instance_id = ? AND group_jid = ?")
                .param(instanceId)
                .param(groupJid)
                .query(String.class)
                .list();
    }

    /** Saves a number or chat as a CRM contact; returns the id and whether the row is new. */
    record Saved(long id, boolean created) {}

    /**
     * Set-based SQL rather than the entity: the row may be inserted by the mirror at the same moment, and only
     * {@code ON CONFLICT} makes "create or mark saved" one atomic step.
     */
    Saved save(long instanceId, String jid, @Nullable String name) {
        String phone = Jids.phoneOf(jid).orElse(null);
        var contact = new MirroredContact(jid, Jids.isLid(jid) ? jid : null, null, name, null, null, null, null);
        return jdbc.sql("""
                        INSERT INTO contacts (instance_id, jid, lid, phone, phone_key, full_name, is_group, display_name,
                                              sort_name, search_text, saved_at)
                        VALUES (:instance, :jid, :lid, :phone, :phoneKey, :name, :group, :display, :sort, :search, now())
                        ON CONFLICT (instance_id, jid) DO UPDATE SET saved_at = coalesce(contacts.saved_at, now())
                        RETURNING id, (xmax = 0) AS created""")
                .param("instance", instanceId)
                .param("jid", jid)
                .param("lid", contact.lid())
                .param("phone", phone)
                .param("phoneKey", contact.phoneKey())
                .param("name", name)
                .param("group", contact.group())
                .param("display", contact.displayName())
                .param("sort", contact.sortName())
                .param("search", contact.searchText())
                .query((rs, row) -> new Saved(rs.getLong("id"), rs.getBoolean("created")))
                .single();
    }

    void savePicture(long instanceId, String jid, String url, String pictureId) {
        jdbc.sql("""
                        UPDATE contacts SET profile_picture_url = :url, profile_picture_id = :pictureId, updated_at = now()
                        WHERE instance_id = :instance AND jid = :jid
                          AND (profile_picture_url, profile_picture_id) IS DISTINCT FROM (:url, :pictureId)""")
                .param("url", url)
                .param("pictureId", pictureId)
                .param("instance", instanceId)
                .param("jid", jid)
                .update();
    }
}
