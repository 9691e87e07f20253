package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.contactmirror.connection.EngineType;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Keyset cursors, offset pages, capped totals and updatedSince on instances of thousands of contacts. */
// Walks thousands of pages as fast as the machine allows: the per-token rate limit is not what this test is about.
@IntegrationTest
// Anchors are checked against the instance on every deep page, so a page right after a write shows it.
@TestPropertySource(
        properties = {"contactmirror.rate-limit.requests-per-second=0", "contactmirror.contacts.anchor-max-age=PT0S"})
class ContactListPagingTest {

    /** Names repeat (ties are broken by id), some are accented, some rows are groups, some have no name at all. */
    private static final String[] NAMES = {
        "Ana Oliveira",
        "Ána Pereira",
        "Bruno Silva",
        "Carla Ferreira",
        "Ana Oliveira",
        "Diego Souza",
        "Érica Teixeira",
        "Fábio Lima"
    };

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ContactRepository repository;

    @Autowired
    JsonMapper json;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    TestTenants.TestTenant tenant;
    Instance store;

    @BeforeEach
    void seed() {
        tenant = tenants.create();
        store = instances.create(tenant, "paging_store", EngineType.SANDBOX);
        insertContacts(store.id(), 0, 3_000);
    }

    /** Rows as the mirror writes them (display, sort and search columns derived the same way), in one statement. */
    private void insertContacts(long instanceId, int from, int count) {
        jdbc.sql("""
                        INSERT INTO contacts (instance_id, jid, phone, phone_key, full_name, is_group, display_name, sort_name, search_text)
                        SELECT :instance, CASE WHEN g % 97 = 0 THEN '1203630' || g || '@g.us' ELSE (5511900000000 + g) || '@s.whatsapp.net' END,
                               CASE WHEN g % 97 = 0 THEN NULL ELSE (5511900000000 + g)::text END,
                               CASE WHEN g % 97 = 0 THEN NULL ELSE (5511900000000 + g)::text END,
                               n.name, g % 97 = 0, n.name,
                               coalesce(n.folded, '~' || (5511900000000 + g)), concat_ws(' ', n.folded, (5511900000000 + g)::text)
                        FROM generate_series(:from + 1, :from + :count) g
                        CROSS JOIN LATERAL (SELECT CASE WHEN g % 13 = 0 THEN NULL ELSE (CAST(:names AS text[]))[1 + g % 8] END AS name,
                                                   CASE WHEN g % 13 = 0 THEN NULL ELSE (CAST(:folded AS text[]))[1 + g % 8] END AS folded) n""")
                .param("instance", instanceId)
                .param("from", from)
                .param("count", count)
                .param("names", NAMES)
                .param(
                        "folded",
                        java.util.Arrays.stream(NAMES).map(SearchText::fold).toArray(String[]::new))
                .update();
        jdbc.sql("""
                        INSERT INTO contact_counts (instance_id, contacts_count, groups_count)
                        VALUES (:id, (SELECT count(*) FROM contacts WHERE instance_id = :id AND NOT is_group),
                                     (SELECT count(*) FROM contacts WHERE instance_id = :id AND is_group))
                        ON CONFLICT (instance_id) DO UPDATE SET contacts_count = EXCLUDED.contacts_count,
                                                                groups_count = EXCLUDED.groups_count""").param("id", instanceId).update();
    }

    private JsonNode list(String query) throws Exception {
        MockHttpServletResponse response = mvc.perform(
                        get(java.net.URI.create("/api/v1/contacts?instanceName=paging_store&" + query))
                                .header("Authorization", tenant.bearer()))
                .andReturn()
                .getResponse();
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return json.readTree(response.getContentAsString());
    }

    private MockHttpServletResponse listRaw(String query) throws Exception {
        MockHttpServletResponse response = mvc.perform(
                        get(java.net.URI.create("/api/v1/contacts?" + query)).header("Authorization", tenant.bearer()))
                .andReturn()
                .getResponse();
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        return response;
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("contacts").forEach(contact -> ids.add(contact.get("id").asLong()));
        return ids;
    }

    private List<Long> walkPages(String filter, int limit) throws Exception {
        List<Long> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode result = list(filter + "&limit=" + limit + "&page=" + page);
            all.addAll(ids(result));
            if (!result.get("hasMore").asBoolean()) {
                assertThat(result.get("nextCursor").isNull()).isTrue();
                return all;
            }
        }
    }

    private List<Long> walkCursor(String filter, int limit) throws Exception {
        List<Long> all = new ArrayList<>();
        JsonNode result = list(filter + "&limit=" + limit);
        long total = result.get("total").asLong();
        while (true) {
            all.addAll(ids(result));
            assertThat(result.get("total").asLong()).isEqualTo(total);
            if (result.get("nextCursor").isNull()) {
                assertThat(result.get("hasMore").asBoolean()).isFalse();
                return all;
            }
            assertThat(result.get("hasMore").asBoolean()).isTrue();
            result = list(filter + "&limit=" + limit + "&cursor="
                    + result.get("nextCursor").asString());
        }
    }

    /** The expected order, straight from the table: name, then id. */
    private List<Long> expected(boolean includeGroups, String needle) {
        return jdbc.sql("SELECT id FROM contacts WHERE instance_id = :instance AND (:groups OR NOT is_group)"
                        + " AND search_text LIKE :pattern ORDER BY sort_name COLLATE \"C\", id")
                .param("instance", store.id())
                .param("groups", includeGroups)
                .param("pattern", "%" + needle + "%")
                .query(Long.class)
                .list();
    }

    @ParameterizedTest
    @CsvSource({
        "false,,''",
        "true,,''",
        "false,oliveira,oliveira",
        "true,ána,ana",
        "false,silv,silv",
        "false,900001,900001",
        "true,an,an",
        "false,é,e"
    })
    void cursorWalkEqualsPageWalkWithoutGapsOrDuplicates(boolean includeGroups, String q, String needle)
            throws Exception {
        String filter = "includeGroups=" + includeGroups
                + (q == null ? "" : "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        List<Long> expected = expected(includeGroups, needle);
        assertThat(expected).hasSizeGreaterThan(50);
        List<Long> byCursor = walkCursor(filter, 37);
        assertThat(byCursor).containsExactlyElementsOf(expected);
        assertThat(new HashSet<>(byCursor)).hasSameSizeAs(byCursor);
        if (expected.size() <= ContactSearch.COUNT_CAP || q == null) {
            assertThat(walkPages(filter, 100)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void searchTotalsAreExactUpToTheCapAndSaySoBeyond() throws Exception {
        JsonNode broad = list("q=a&limit=10");
        assertThat(expected(false, "a")).hasSizeGreaterThan(ContactSearch.COUNT_CAP);
        assertThat(broad.get("total").asLong()).isEqualTo(ContactSearch.COUNT_CAP);
        assertThat(broad.get("totalExact").asBoolean()).isFalse();
        assertThat(broad.get("hasMore").asBoolean()).isTrue();

        JsonNode narrow = list("q=oliveira&limit=10");
        assertThat(narrow.get("total").asLong())
                .isEqualTo(expected(false, "oliveira").size());
        assertThat(narrow.get("totalExact").asBoolean()).isTrue();

        JsonNode list = list("limit=10");
        assertThat(list.get("total").asLong()).isEqualTo(expected(false, "").size());
        assertThat(list.get("totalExact").asBoolean()).isTrue();

        // Offset pages of a search reach the counted matches; deeper, the answer points at the cursor.
        MockHttpServletResponse tooDeep = listRaw("instanceName=paging_store&q=a&limit=100&page=11");
        assertThat(tooDeep.getStatus()).isEqualTo(400);
        assertThat(tooDeep.getContentAsString()).contains("VALIDATION_ERROR").contains("cursor");
    }

    @Test
    void aBroadSearchWhoseMatchesClusterFarDownTheListWalksOnToThem() throws Exception {
        // The first walk finds none, the index counts more than the cap, and the walk goes on to them.
        insertBeyondTheFirstWalk("Zulu Clusterx", 1_200);
        List<Long> expected = expected(false, "clusterx");
        assertThat(expected).hasSize(1_200);

        JsonNode first = list("q=clusterx&limit=50");
        assertThat(ids(first)).containsExactlyElementsOf(expected.subList(0, 50));
        assertThat(first.get("total").asLong()).isEqualTo(ContactSearch.COUNT_CAP);
        assertThat(first.get("totalExact").asBoolean()).isFalse();
        assertThat(ids(list("q=clusterx&limit=100&page=3"))).containsExactlyElementsOf(expected.subList(200, 300));
        assertThat(walkCursor("q=clusterx", 100)).containsExactlyElementsOf(expected);
    }

    @Test
    void aSearchWithFewMatchesBeyondTheFirstWalkIsCountedAndPagedThroughItsIndex() throws Exception {
        // The first walk finds none, the index counts and sorts them in one statement, for every page, including one
        // past the last match.
        insertBeyondTheFirstWalk("Zulu Sparsex", 120);
        List<Long> expected = expected(false, "sparsex");
        assertThat(expected).hasSize(120);

        List<Long> paged = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode answer = list("q=sparsex&limit=50&page=" + page);
            assertThat(answer.get("total").asLong()).isEqualTo(120);
            assertThat(answer.get("totalExact").asBoolean()).isTrue();
            assertThat(answer.get("hasMore").asBoolean()).isEqualTo(page < 3);
            paged.addAll(ids(answer));
        }
        assertThat(paged).containsExactlyElementsOf(expected);
        JsonNode pastTheEnd = list("q=sparsex&limit=50&page=4");
        assertThat(pastTheEnd.get("count").asInt()).isZero();
        assertThat(pastTheEnd.get("total").asLong()).isEqualTo(120);
        assertThat(pastTheEnd.get("totalExact").asBoolean()).isTrue();
        assertThat(walkCursor("q=sparsex", 50)).containsExactlyElementsOf(expected);
    }

    @Test
    void aSearchCountedAlongTheListPagesItsMatchesAndCountsOnlyWhatItsBudgetReads() {
        insertBeyondTheFirstWalk("Zulu Clusterx", 1_200);
        List<Long> expected = expected(false, "clusterx");
        var thirdPage = new ContactRepository.ListQuery(
                store.id(), ContactSearch.likePattern("clusterx"), false, null, null, 100, 51);

        ContactRepository.Counted counted =
                repository.walkCounted(thirdPage, ContactSearch.CLUSTERED_WALK_BUDGET, ContactSearch.COUNT_CAP + 1);
        assertThat(counted.matches()).isEqualTo(ContactSearch.COUNT_CAP + 1);
        assertThat(counted.positions())
                .extracting(ContactCursor.Position::id)
                .containsExactlyElementsOf(expected.subList(100, 151));

        long before = jdbc.sql(
                        "SELECT count(*) FROM contacts WHERE instance_id = ? AND NOT is_group AND sort_name < 'zulu'")
                .param(store.id())
                .query(Long.class)
                .single();
        ContactRepository.Counted shortWalk =
                repository.walkCounted(thirdPage, (int) before + 120, ContactSearch.COUNT_CAP + 1);
        assertThat(shortWalk.matches()).isEqualTo(120);
        assertThat(shortWalk.positions())
                .extracting(ContactCursor.Position::id)
                .containsExactlyElementsOf(expected.subList(100, 120));
    }

    @Test
    void aSearchThePlannerWronglyExpectsToMatchManyIsStillCountedExactly() throws Exception {
        // Statistics taken while "stalex" was most of the table, then all but 120 of its people deleted: the planner
        // expects thousands, the walk along the list finds too few, and the index counts them exactly.
        long table = jdbc.sql("SELECT count(*) FROM contacts").query(Long.class).single();
        insertBeyondTheFirstWalk("Zulu Stalex", (int) Math.max(5_000, table));
        jdbc.sql("ANALYZE contacts").update();
        var firstPage = new ContactRepository.ListQuery(
                store.id(), ContactSearch.likePattern("stalex"), false, null, null, 0, 51);
        long people = jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND NOT is_group")
                .param(store.id())
                .query(Long.class)
                .single();
        assertThat(ContactSearch.countsAlongTheList(repository.expectedMatches(firstPage), () -> people))
                .isTrue();
        jdbc.sql("""
                        DELETE FROM contacts WHERE instance_id = ? AND search_text LIKE '%stalex%'
                          AND id NOT IN (SELECT id FROM contacts WHERE instance_id = ? AND search_text LIKE '%stalex%'
                                         ORDER BY id LIMIT 120)""").param(store.id()).param(store.id()).update();
        List<Long> expected = expected(false, "stalex");
        assertThat(expected).hasSize(120);

        JsonNode first = list("q=stalex&limit=50");
        assertThat(first.get("total").asLong()).isEqualTo(120);
        assertThat(first.get("totalExact").asBoolean()).isTrue();
        assertThat(ids(first)).containsExactlyElementsOf(expected.subList(0, 50));
        assertThat(ids(list("q=stalex&limit=50&page=3"))).containsExactlyElementsOf(expected.subList(100, 120));
    }

    /**
     * 10,800 people whose names sort before every other, then {@code matches} people named {@code name} and a number,
     * who sort after all of them: beyond the first walk of a search.
     */
    private void insertBeyondTheFirstWalk(String name, int matches) {
        jdbc.sql("""
                        INSERT INTO contacts (instance_id, jid, phone, phone_key, full_name, is_group, display_name, sort_name, search_text)
                        SELECT :instance, (5511800000000 + g) || '@s.whatsapp.net', (5511800000000 + g)::text,
                               (5511800000000 + g)::text, x.name, false, x.name, lower(x.name),
                               concat_ws(' ', lower(x.name), (5511800000000 + g)::text)
                        FROM generate_series(1, 10800 + :matches) g
                        CROSS JOIN LATERAL (SELECT CASE WHEN g <= 10800 THEN 'Aaa Filler ' || g
                                                        ELSE :name || ' ' || g END AS name) x""")
                .param("instance", store.id())
                .param("matches", matches)
                .param("name", name)
                .update();
    }

    @Test
    void refusesACursorOfAnotherQueryOrNotOurs() throws Exception {
        String cursor = list("q=ana&limit=5").get("nextCursor").asString();
        Instance other = instances.create(tenant, "other_store", EngineType.SANDBOX);
        insertContacts(other.id(), 0, 20);
        for (String misuse : List.of(
                "instanceName=paging_store&q=bruno&cursor=" + cursor,
                "instanceName=paging_store&cursor=" + cursor,
                "instanceName=paging_store&q=ana&includeGroups=true&cursor=" + cursor,
                "instanceName=paging_store&q=ana&updatedSince=2020-01-01T00:00:00Z&cursor=" + cursor,
                "instanceName=other_store&q=ana&cursor=" + cursor,
                "instanceName=paging_store&q=ana&page=2&cursor=" + cursor,
                "instanceName=paging_store&q=ana&cursor=not-a-cursor",
                "instanceName=paging_store&q=ana&cursor=" + cursor.substring(0, cursor.length() / 2),
                "instanceName=paging_store&q=ana&cursor=%C3%A9t%C3%A9")) {
            MockHttpServletResponse response = listRaw(misuse);
            assertThat(response.getStatus()).as(misuse).isEqualTo(400);
            JsonNode error = json.readTree(response.getContentAsString());
            assertThat(error.get("success").asBoolean()).isFalse();
            assertThat(error.get("error_code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(error.get("details").get(0).get("field").asString()).isIn("cursor", "page");
        }
        assertThat(listRaw("instanceName=paging_store&q=ana&cursor=" + cursor).getStatus())
                .isEqualTo(200);
    }

    @Test
    void filtersByUpdatedSince() throws Exception {
        jdbc.sql("UPDATE contacts SET updated_at = now() - interval '10 days' WHERE instance_id = ?")
                .param(store.id())
                .update();
        List<Long> recent = jdbc.sql("""
                        UPDATE contacts SET updated_at = now() WHERE id IN (
                            SELECT id FROM contacts WHERE instance_id = ? AND NOT is_group ORDER BY id DESC LIMIT 120)
                        RETURNING id""").param(store.id()).query(Long.class).list();
        String since =
                java.time.Instant.now().minus(java.time.Duration.ofDays(1)).toString();
        List<Long> byCursor = walkCursor("updatedSince=" + since, 50);
        assertThat(byCursor).containsExactlyInAnyOrderElementsOf(recent);
        assertThat(list("updatedSince=" + since).get("total").asLong()).isEqualTo(120);
        assertThat(list("updatedSince="
                                + URLEncoder.encode(
                                        java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(3))
                                                .minusDays(1)
                                                .toString(),
                                        StandardCharsets.UTF_8))
                        .get("total")
                        .asLong())
                .isEqualTo(120);

        for (String bad : List.of("yesterday", "2026-13-01T00:00:00Z", "2026-11-28")) {
            MockHttpServletResponse response = listRaw("instanceName=paging_store&updatedSince=" + bad);
            assertThat(response.getStatus()).as(bad).isEqualTo(400);
            assertThat(response.getContentAsString()).contains("updatedSince");
        }
    }

    @Test
    void aRareSearchShorterThanATrigramWalksInBoundedStepsAndMissesNothing() throws Exception {
        insertContacts(store.id(), 3_000, ContactSearch.WALK_BUDGET + 5_000);
        List<Long> rare = jdbc.sql("""
                        UPDATE contacts SET display_name = 'Zyqx Final', sort_name = 'zyqx final ' || id, search_text = 'zyqx final'
                        WHERE id IN (SELECT id FROM contacts WHERE instance_id = ? AND NOT is_group ORDER BY id DESC LIMIT 3)
                        RETURNING id""").param(store.id()).query(Long.class).list();
        JsonNode first = list("q=qx&limit=10");
        // The first walk ends before the rare matches (they sort last): an empty page that says there is more.
        assertThat(first.get("count").asInt()).isZero();
        assertThat(first.get("hasMore").asBoolean()).isTrue();
        assertThat(first.get("totalExact").asBoolean()).isFalse();
        assertThat(walkCursor("q=qx", 10)).containsExactlyInAnyOrderElementsOf(rare);
    }

    @Test
    void theListsLastPageAndThePagesPastItKeepTheListsTotal() throws Exception {
        List<Long> expected = expected(false, "");
        int limit = 100;
        int lastPage = (expected.size() + limit - 1) / limit;
        JsonNode last = list("limit=" + limit + "&page=" + lastPage);
        assertThat(ids(last)).containsExactlyElementsOf(expected.subList((lastPage - 1) * limit, expected.size()));
        assertThat(last.get("hasMore").asBoolean()).isFalse();
        assertThat(last.get("nextCursor").isNull()).isTrue();
        for (int page : new int[] {lastPage + 1, lastPage + 50}) {
            JsonNode past = list("limit=" + limit + "&page=" + page);
            assertThat(ids(past)).isEmpty();
            assertThat(past.get("hasMore").asBoolean()).isFalse();
            assertThat(past.get("total").asLong()).isEqualTo(expected.size());
        }
    }

    @Test
    void deepOffsetPagesMatchTheCursorWalk() throws Exception {
        insertContacts(store.id(), 3_000, 9_500);
        List<Long> expected = expected(false, "");
        int limit = 100;
        // Past ListAnchors' direct range: pages 101.. start from anchors.
        int firstDeepPage = (int) (ContactSearch.DIRECT_OFFSET / limit) + 1;
        List<Long> deep = new ArrayList<>();
        for (int page = firstDeepPage; page <= expected.size() / limit + 1; page++) {
            deep.addAll(ids(list("limit=" + limit + "&page=" + page)));
        }
        assertThat(deep).containsExactlyElementsOf(expected.subList((firstDeepPage - 1) * limit, expected.size()));
        assertThat(walkCursor("", 100)).containsExactlyElementsOf(expected);
    }

    @Test
    void deepOffsetPagesFollowWritesOnceTheirAnchorsAreOlderThanTheMaxAge() throws Exception {
        insertContacts(store.id(), 3_000, 9_500);
        int limit = 100;
        int deepPage = (int) (ContactSearch.DIRECT_OFFSET / limit) + 5;
        List<Long> before = expected(false, "");
        assertThat(ids(list("limit=" + limit + "&page=" + deepPage)))
                .containsExactlyElementsOf(before.subList((deepPage - 1) * limit, deepPage * limit));
        // Unchanged: the same anchors are found exact again.
        assertThat(ids(list("limit=" + limit + "&page=" + deepPage)))
                .containsExactlyElementsOf(before.subList((deepPage - 1) * limit, deepPage * limit));
        // Rows that sort first shift every deep page; with a max age of zero the next page is built on new anchors.
        jdbc.sql("""
                        UPDATE contacts SET sort_name = '!' || sort_name, updated_at = now()
                        WHERE id IN (SELECT id FROM contacts WHERE instance_id = ? AND NOT is_group ORDER BY id DESC LIMIT 250)""").param(store.id()).update();
        List<Long> after = expected(false, "");
        assertThat(after).isNotEqualTo(before);
        assertThat(ids(list("limit=" + limit + "&page=" + deepPage)))
                .containsExactlyElementsOf(after.subList((deepPage - 1) * limit, deepPage * limit));
    }
}
