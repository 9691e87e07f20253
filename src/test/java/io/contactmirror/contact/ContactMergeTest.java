package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.Fence;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TenantPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The LID→phone merge against concurrent CRM edits: nothing acknowledged is lost, merged-away ids keep answering. */
@IntegrationTest
// Hundreds of requests in seconds from one token: the per-token rate limit is not what this class tests.
@TestPropertySource(properties = "contactmirror.rate-limit.requests-per-second=0")
class ContactMergeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    CrmEdits edits;

    @Autowired
    JsonMapper json;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    TestTenants.TestTenant tenant;
    Instance instance;
    Fence fence;
    ExecutorService threads;

    @BeforeEach
    void createInstance() {
        tenant = tenants.create();
        instance = instances.create(tenant, "merge_test", EngineType.SANDBOX);
        // Taken once: renewing it inside a held transaction would make the lease row the lock others wait for.
        fence = instances.lease(instance.id());
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private void contacts(ContactRecord... records) {
        events.publishEvent(new InstanceDataEvent.ContactsReceived(instance.id(), fence, List.of(records)));
    }

    private void map(String lid, String phone) {
        events.publishEvent(
                new InstanceDataEvent.IdentitiesMapped(instance.id(), fence, List.of(new IdentityMapping(lid, phone))));
    }

    private long idOf(String jid) {
        return jdbc.sql("SELECT id FROM contacts WHERE instance_id = ? AND jid = ?")
                .param(instance.id())
                .param(jid)
                .query(Long.class)
                .single();
    }

    private Map<String, Object> row(long id) {
        return jdbc.sql("SELECT * FROM contacts WHERE id = ?").param(id).query().singleRow();
    }

    private long rows(String jid) {
        return jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND jid = ?")
                .param(instance.id())
                .param(jid)
                .query(Long.class)
                .single();
    }

    private void assertCountersMatchRows() {
        long people = jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND NOT is_group")
                .param(instance.id())
                .query(Long.class)
                .single();
        long counter = jdbc.sql("SELECT coalesce((SELECT contacts_count FROM contact_counts WHERE instance_id = ?), 0)")
                .param(instance.id())
                .query(Long.class)
                .single();
        assertThat(counter).as("contacts_count").isEqualTo(people);
    }

    private MockHttpServletResponse patchContact(long id, String body) throws Exception {
        return mvc.perform(patch("/api/v1/contacts/" + id)
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andReturn()
                .getResponse();
    }

    private MockHttpServletResponse getContact(long id, TestTenants.TestTenant as) throws Exception {
        return mvc.perform(get("/api/v1/contacts/" + id).header("Authorization", as.bearer()))
                .andReturn()
                .getResponse();
    }

    private JsonNode customData(long id) {
        return json.readTree(row(id).get("custom_data").toString());
    }

    /** Waits until a statement on contacts waits for a lock, i.e. the other transaction is blocked by the held one. */
    private void awaitSomeoneBlockedOnALock() {
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> jdbc.sql("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%contacts%'""").query(Long.class).single() > 0);
    }

    private static String lid(int n) {
        return (300_000_000_000_000L + n) + "@lid";
    }

    private static String phone(int n) {
        return "62814" + String.format(Locale.ROOT, "%08d", n) + "@s.whatsapp.net";
    }

    /** A LID row and a phone row of person n, the phone row with CRM values changed an hour ago. */
    private long[] person(int n) {
        contacts(
                new ContactRecord(lid(n), null, "Lid " + n, null, null, null, null),
                new ContactRecord(phone(n), null, null, "Phone " + n, null, null, true));
        jdbc.sql("""
                        UPDATE contacts SET assigned_user_id = 'phone-user', funnel_stage_id = 'old-stage',
                               notes = 'phone note', custom_data = '{"phone":{"a":1}}',
                               assigned_user_changed_at = now() - interval '1 hour',
                               funnel_stage_changed_at = now() - interval '1 hour',
                               notes_changed_at = now() - interval '1 hour',
                               custom_data_changed_at = now() - interval '1 hour'
                        WHERE instance_id = ? AND jid = ?""").param(instance.id()).param(phone(n)).update();
        return new long[] {idOf(lid(n)), idOf(phone(n))};
    }

    private static String patchBody(int n) {
        return "{\"assignedUserId\":\"agent-" + n + "\",\"funnelStageId\":\"stage-" + n + "\",\"notes\":\"note-" + n
                + "\",\"customData\":{\"phone\":{\"b\":" + n + "},\"race\":" + n + "}}";
    }

    /** What a 200 to {@link #patchBody(int)} promised, checked on the surviving phone row. */
    private void assertPatchKept(int n, long survivor) {
        var row = row(survivor);
        assertThat(row.get("assigned_user_id")).as("assignee of person %d", n).isEqualTo("agent-" + n);
        assertThat(row.get("funnel_stage_id")).as("stage of person %d", n).isEqualTo("stage-" + n);
        assertThat(row.get("notes").toString()).as("notes of person %d", n).startsWith("note-" + n);
        JsonNode custom = customData(survivor);
        assertThat(custom.path("race").asInt())
                .as("customData.race of person %d", n)
                .isEqualTo(n);
        assertThat(custom.path("phone").path("b").asInt())
                .as("customData.phone.b of person %d", n)
                .isEqualTo(n);
        assertThat(custom.path("phone").path("a").asInt())
                .as("customData.phone.a of person %d", n)
                .isEqualTo(1);
    }

    private void assertOldIdAnswersWithSurvivor(long oldId, long survivor) throws Exception {
        var response = getContact(oldId, tenant);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(((Number) JsonPath.read(response.getContentAsString(), "$.contact.id")).longValue())
                .isEqualTo(survivor);
        assertThat(response.getHeader("ETag")).isEqualTo("\"" + row(survivor).get("version") + "\"");
        assertThat(response.getHeader("Content-Location")).isEqualTo("/api/v1/contacts/" + survivor);
    }

    @Test
    void aConcurrentPatchRacingAMergeLosesNothing() throws Exception {
        int iterations = 200;
        int patchedBeforeMerge = 0;
        for (int n = 0; n < iterations; n++) {
            long[] ids = person(n);
            long lidId = ids[0];
            long phoneId = ids[1];
            // Most rounds edit the LID row (the one the merge deletes); some edit the phone row it merges into.
            long edited = n % 4 == 3 ? phoneId : lidId;
            var barrier = new CyclicBarrier(2);
            int round = n;
            Future<MockHttpServletResponse> patched = threads.submit(() -> {
                barrier.await();
                return patchContact(edited, patchBody(round));
            });
            Future<?> merged = threads.submit(() -> {
                barrier.await();
                map(lid(round), phone(round));
                return null;
            });
            merged.get(30, TimeUnit.SECONDS);
            MockHttpServletResponse response = patched.get(30, TimeUnit.SECONDS);

            assertThat(response.getStatus())
                    .as("PATCH of person %d: %s", n, response.getContentAsString())
                    .isEqualTo(200);
            long answeredId = ((Number) JsonPath.read(response.getContentAsString(), "$.contact.id")).longValue();
            if (edited == lidId && answeredId == lidId) {
                patchedBeforeMerge++;
            }
            assertThat(rows(lid(n))).isZero();
            assertPatchKept(n, phoneId);
            assertOldIdAnswersWithSurvivor(lidId, phoneId);
        }
        assertCountersMatchRows();
        System.out.printf(
                "Merge race: %d of %d rounds, the PATCH of the LID row committed before the merge%n",
                patchedBeforeMerge, iterations);
    }

    /** Runs {@link #patchBody(int)} on the row {@code edited} in a transaction held open while a merge of n waits. */
    private void mergeWhileAPatchHoldsTheRow(int n, long edited) throws Exception {
        var patchDone = new CountDownLatch(1);
        var commitPatch = new CountDownLatch(1);
        var principal = new TenantPrincipal(null, tenant.tenantId(), tenant.userId(), null, Scope.all());
        Future<?> patch = threads.submit(() -> transactions.executeWithoutResult(status -> {
            edits.patch(principal, edited, ContactController.crmPatch(json.readTree(patchBody(n))), null);
            patchDone.countDown();
            await(commitPatch);
        }));
        await(patchDone);
        Future<?> merge = threads.submit(() -> map(lid(n), phone(n)));
        awaitSomeoneBlockedOnALock();
        commitPatch.countDown();
        patch.get(30, TimeUnit.SECONDS);
        merge.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aMergeWaitingForAPatchOfTheLidRowMergesWhatThePatchWrote() throws Exception {
        long[] ids = person(1000);
        mergeWhileAPatchHoldsTheRow(1000, ids[0]);

        assertThat(rows(lid(1000))).isZero();
        assertPatchKept(1000, ids[1]);
        // Both notes survive, the newer (the PATCH's) first.
        assertThat(row(ids[1]).get("notes")).isEqualTo("note-1000\n\nphone note");
        assertOldIdAnswersWithSurvivor(ids[0], ids[1]);
    }

    @Test
    void aMergeWaitingForAPatchOfThePhoneRowStillFindsAndMergesIt() throws Exception {
        long[] ids = person(1001);
        mergeWhileAPatchHoldsTheRow(1001, ids[1]);

        assertThat(rows(lid(1001))).isZero();
        assertPatchKept(1001, ids[1]);
        assertThat(row(ids[1]).get("lid")).isEqualTo(lid(1001));
        assertThat(row(ids[1]).get("push_name")).isEqualTo("Lid 1001");
        assertOldIdAnswersWithSurvivor(ids[0], ids[1]);
        assertCountersMatchRows();
    }

    @Test
    void aPatchWaitingForAMergeIsAppliedToTheSurvivor() throws Exception {
        long[] ids = person(2000);
        var merged = new CountDownLatch(1);
        var commitMerge = new CountDownLatch(1);
        Future<?> merge = threads.submit(() -> transactions.executeWithoutResult(status -> {
            map(lid(2000), phone(2000));
            merged.countDown();
            await(commitMerge);
        }));
        await(merged);
        Future<MockHttpServletResponse> patch = threads.submit(() -> patchContact(ids[0], patchBody(2000)));
        awaitSomeoneBlockedOnALock();
        commitMerge.countDown();
        merge.get(30, TimeUnit.SECONDS);
        MockHttpServletResponse response = patch.get(30, TimeUnit.SECONDS);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(((Number) JsonPath.read(response.getContentAsString(), "$.contact.id")).longValue())
                .isEqualTo(ids[1]);
        assertThat(response.getHeader("Content-Location")).isEqualTo("/api/v1/contacts/" + ids[1]);
        assertPatchKept(2000, ids[1]);
        assertOldIdAnswersWithSurvivor(ids[0], ids[1]);
    }

    @Test
    void twoMergesOfOneLidSubtractOnce() throws Exception {
        long[] ids = person(3000);
        contacts(new ContactRecord(phone(3001), null, "Someone else", null, null, null, null));
        var merged = new CountDownLatch(1);
        var commitFirst = new CountDownLatch(1);
        Future<?> first = threads.submit(() -> transactions.executeWithoutResult(status -> {
            map(lid(3000), phone(3000));
            merged.countDown();
            await(commitFirst);
        }));
        await(merged);
        Future<?> second = threads.submit(() -> map(lid(3000), phone(3000)));
        awaitSomeoneBlockedOnALock();
        commitFirst.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        assertThat(rows(lid(3000))).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM contact_aliases WHERE old_id = ?")
                        .param(ids[0])
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertCountersMatchRows();
    }

    @Test
    void keepsTheMostRecentlyChangedValueOfEachCrmField() throws Exception {
        contacts(
                new ContactRecord("300000000000777@lid", null, "Rita", null, null, null, null),
                new ContactRecord("6281400000777@s.whatsapp.net", null, null, "Rita Phone", null, null, true));
        long lidId = idOf("300000000000777@lid");
        long phoneId = idOf("6281400000777@s.whatsapp.net");
        jdbc.sql("""
                        UPDATE contacts SET funnel_stage_id = 'lead', funnel_stage_changed_at = '2026-06-03T00:00:00Z',
                               assigned_user_id = 'u-lid', assigned_user_changed_at = '2026-06-01T00:00:00Z',
                               assigned_department_id = 'd-lid',
                               notes = 'lid note', notes_changed_at = '2026-06-03T00:00:00Z',
                               custom_data = '{"a":{"x":1},"k":"lid","l":true}', custom_data_changed_at = '2026-06-03T00:00:00Z',
                               show_time_in_stage = false, show_time_in_stage_changed_at = '2026-06-03T00:00:00Z',
                               version = 7
                        WHERE id = ?""").param(lidId).update();
        jdbc.sql("""
                        UPDATE contacts SET funnel_stage_id = 'won', funnel_stage_changed_at = '2026-06-02T00:00:00Z',
                               assigned_user_id = 'u-phone', assigned_user_changed_at = '2026-06-02T00:00:00Z',
                               notes = 'phone note', notes_changed_at = '2026-06-02T00:00:00Z',
                               custom_data = '{"a":{"y":2},"k":"phone","p":true}', custom_data_changed_at = '2026-06-02T00:00:00Z',
                               show_time_in_stage = true, show_time_in_stage_changed_at = '2026-06-02T00:00:00Z',
                               version = 2
                        WHERE id = ?""").param(phoneId).update();

        map("300000000000777@lid", "6281400000777@s.whatsapp.net");

        var row = row(phoneId);
        assertThat(row.get("funnel_stage_id")).isEqualTo("lead");
        assertThat(row.get("assigned_user_id")).isEqualTo("u-phone");
        assertThat(row.get("assigned_department_id")).isEqualTo("d-lid");
        assertThat(row.get("notes")).isEqualTo("lid note\n\nphone note");
        assertThat(row.get("show_time_in_stage")).isEqualTo(false);
        assertThat(row.get("push_name")).isEqualTo("Rita");
        assertThat(row.get("lid")).isEqualTo("300000000000777@lid");
        assertThat(row.get("version")).isEqualTo(8L);
        assertThat(customData(phoneId))
                .isEqualTo(json.readTree("{\"a\":{\"x\":1,\"y\":2},\"k\":\"lid\",\"l\":true,\"p\":true}"));
        // The merged-away row is kept whole, so the value the policy dropped can be recovered.
        String mergedRow = jdbc.sql("SELECT merged_row::text FROM contact_aliases WHERE old_id = ?")
                .param(lidId)
                .query(String.class)
                .single();
        assertThat(json.readTree(mergedRow).path("assigned_user_id").asString()).isEqualTo("u-lid");
        assertCountersMatchRows();
    }

    @Test
    void aPatchRecordsWhenEachFieldChanged() throws Exception {
        contacts(new ContactRecord("6281400000888@s.whatsapp.net", null, "Tono", null, null, null, null));
        long id = idOf("6281400000888@s.whatsapp.net");
        assertThat(patchContact(id, "{\"notes\":\"hello\",\"assignedUserId\":null}")
                        .getStatus())
                .isEqualTo(200);
        var row = row(id);
        assertThat(row.get("notes_changed_at")).isNotNull();
        assertThat(row.get("assigned_user_changed_at"))
                .as("unchanged (was null, still null)")
                .isNull();
        assertThat(row.get("custom_data_changed_at")).isNull();
    }

    @Test
    void doesNotMergeIntoAPhoneRowOfAnotherLid() throws Exception {
        String oldOwner = "300000000000901@lid";
        String newOwner = "300000000000902@lid";
        String number = "6281400000901@s.whatsapp.net";
        contacts(new ContactRecord(number, oldOwner, "Old owner", null, null, null, true));
        contacts(new ContactRecord(newOwner, null, "New owner", null, null, null, null));
        long phoneId = idOf(number);
        long newOwnerId = idOf(newOwner);
        jdbc.sql("UPDATE contacts SET notes = 'new owner notes' WHERE id = ?")
                .param(newOwnerId)
                .update();

        map(newOwner, number);
        // A record naming the number with the new LID does not hand the old owner's row over either.
        contacts(new ContactRecord(number, newOwner, null, null, null, null, null));

        assertThat(row(phoneId).get("lid")).isEqualTo(oldOwner);
        assertThat(row(newOwnerId).get("jid")).isEqualTo(newOwner);
        assertThat(row(newOwnerId).get("notes")).isEqualTo("new owner notes");
        assertThat(jdbc.sql("SELECT count(*) FROM identity_mappings WHERE instance_id = ? AND lid_jid = ?")
                        .param(instance.id())
                        .param(newOwner)
                        .query(Long.class)
                        .single())
                .isZero();
        // Later reports under the new owner's LID stay on their own row.
        contacts(new ContactRecord(newOwner, null, "New owner renamed", null, null, null, null));
        assertThat(row(newOwnerId).get("push_name")).isEqualTo("New owner renamed");
        assertThat(row(phoneId).get("push_name")).isEqualTo("Old owner");
        assertCountersMatchRows();
    }

    @Test
    void mergesIntoTheOtherBrazilianFormAndKeepsTheOldIdResolvable() throws Exception {
        contacts(
                new ContactRecord("300000000000555@lid", null, "Bia", null, null, null, null),
                new ContactRecord("551188885555@s.whatsapp.net", null, null, "Bia Lima", null, null, true));
        long lidId = idOf("300000000000555@lid");
        long phoneId = idOf("551188885555@s.whatsapp.net");
        assertThat(patchContact(lidId, "{\"funnelStageId\":\"lead\"}").getStatus())
                .isEqualTo(200);

        map("300000000000555@lid", "5511988885555@s.whatsapp.net");

        assertThat(rows("300000000000555@lid")).isZero();
        assertThat(rows("5511988885555@s.whatsapp.net")).isZero();
        assertThat(row(phoneId).get("funnel_stage_id")).isEqualTo("lead");
        assertThat(row(phoneId).get("lid")).isEqualTo("300000000000555@lid");
        assertOldIdAnswersWithSurvivor(lidId, phoneId);
        assertCountersMatchRows();
    }

    @Test
    void aMergedAwayIdAnswersWithTheSurvivorOnlyToItsTenant() throws Exception {
        long[] ids = person(5000);
        map(lid(5000), phone(5000));
        var stranger = tenants.create();
        var response = getContact(ids[0], stranger);
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentAsString()).contains("CONTACT_NOT_FOUND");
    }

    @Test
    void anIfMatchWithTheMergedAwayVersionIsRefused() throws Exception {
        long[] ids = person(6000);
        String staleEtag = "\"" + row(ids[0]).get("version") + "\"";
        map(lid(6000), phone(6000));
        var response = mvc.perform(patch("/api/v1/contacts/" + ids[0])
                        .header("Authorization", tenant.bearer())
                        .header("If-Match", staleEtag)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"notes\":\"stale\"}"))
                .andReturn()
                .getResponse();
        assertThat(response.getStatus()).isEqualTo(412);
        assertThat(row(ids[1]).get("notes")).isEqualTo("phone note");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
