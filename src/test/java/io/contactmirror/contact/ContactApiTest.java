package io.contactmirror.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import io.contactmirror.tenant.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@IntegrationTest
class ContactApiTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    TestTenants.TestTenant tenant;
    Instance store;

    @BeforeEach
    void seed() {
        tenant = tenants.create();
        store = instances.create(tenant, "jakarta_store", EngineType.SANDBOX);
        events.publishEvent(new InstanceDataEvent.ContactsReceived(
                store.id(),
                instances.lease(store.id()),
                List.of(
                        new ContactRecord(
                                "628123456789@s.whatsapp.net", null, "John", "John Customer", "John", null, true),
                        new ContactRecord(
                                "5511999999999@s.whatsapp.net",
                                null,
                                "Maria",
                                "Maria Silva",
                                "Maria",
                                "Silva Comercio",
                                true),
                        new ContactRecord(
                                "5511888888888@s.whatsapp.net", null, "Joao", "João Conceição", null, null, true),
                        new ContactRecord("919876543210@s.whatsapp.net", null, "प्रिया", null, null, null, false),
                        new ContactRecord("100000000000009@lid", null, "Lid Only", null, null, null, null),
                        new ContactRecord("120363000000000001@g.us", null, null, "Clientes VIP", null, null, null),
                        new ContactRecord("15551234567@s.whatsapp.net", null, "100%_real", null, null, null, null))));
        events.publishEvent(new InstanceDataEvent.ChatsReceived(
                store.id(),
                instances.lease(store.id()),
                List.of(new ChatRecord(
                        "628123456789@s.whatsapp.net",
                        "John Customer",
                        "Hello",
                        Instant.parse("2026-06-13T08:00:00Z"),
                        0))));
    }

    private ResultActions list(String query) throws Exception {
        return mvc.perform(get("/api/v1/contacts" + query).header("Authorization", tenant.bearer()));
    }

    private ResultActions search(String q, String... more) throws Exception {
        var request =
                get("/api/v1/contacts").header("Authorization", tenant.bearer()).param("q", q);
        for (int i = 0; i < more.length; i += 2) {
            request.param(more[i], more[i + 1]);
        }
        return mvc.perform(request);
    }

    @Test
    void listsInTheShapeOfTheWachatSeed() throws Exception {
        list("?instanceName=" + store.apiInstanceName())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.success", is(true)))
                .andExpect(jsonPath("$.count", is(6)))
                .andExpect(jsonPath("$.total", is(6)))
                .andExpect(jsonPath("$.page", is(1)))
                .andExpect(jsonPath("$.limit", is(50)))
                .andExpect(jsonPath("$.hasMore", is(false)))
                .andExpect(jsonPath("$.instance.id", is((int) store.id())))
                .andExpect(jsonPath("$.instance.instanceName", is("jakarta_store")))
                .andExpect(jsonPath("$.instance.displayName", is("jakarta_store")))
                .andExpect(jsonPath("$.instance.apiInstanceName", is(store.apiInstanceName())))
                .andExpect(jsonPath("$.instance.internalName", is(store.apiInstanceName())))
                .andExpect(jsonPath("$.contacts[?(@.remoteJid == '628123456789@s.whatsapp.net')].name")
                        .value("John Customer"))
                .andExpect(jsonPath("$.contacts[?(@.remoteJid == '628123456789@s.whatsapp.net')].phone")
                        .value("628123456789"))
                .andExpect(jsonPath("$.contacts[?(@.remoteJid == '628123456789@s.whatsapp.net')].chat.lastMessageText")
                        .value("Hello"))
                .andExpect(jsonPath("$.contacts[?(@.remoteJid == '628123456789@s.whatsapp.net')].chat.pushName")
                        .value("John"))
                .andExpect(jsonPath("$.contacts[?(@.remoteJid == '628123456789@s.whatsapp.net')].chat.unreadCount")
                        .value(0))
                .andExpect(jsonPath("$.contacts[0].isGroup", is(false)))
                .andExpect(jsonPath("$.contacts[0].customData").isMap())
                .andExpect(jsonPath("$.contacts[0].showTimeInStage", is(false)))
                .andExpect(jsonPath("$.contacts[0].assignedUserId", nullValue()))
                .andExpect(jsonPath("$.contacts[0].profilePicUrl").hasJsonPath())
                .andExpect(jsonPath("$.contacts[0].profilePictureUrl").hasJsonPath())
                .andExpect(jsonPath("$.contacts[0].createdAt").isString())
                .andExpect(jsonPath("$.contacts[0].updatedAt").isString())
                .andExpect(jsonPath("$.contacts[0].version").isNumber());
        list("?instanceName=jakarta_store&includeGroups=true").andExpect(jsonPath("$.total", is(7)));
        // The tenant's only instance is implied.
        list("").andExpect(jsonPath("$.total", is(6)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"page=0", "limit=0", "limit=101", "page=x", "limit=-1", "includeGroups=maybe"})
    void rejectsBadPagingParameters(String query) throws Exception {
        String field = query.substring(0, query.indexOf('='));
        list("?" + query)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code", is("VALIDATION_ERROR")))
                .andExpect(jsonPath("$.details[0].field", is(field)));
    }

    @Test
    void hidesInstancesOfOtherTenantsAndOtherInstancesFromABoundToken() throws Exception {
        var other = tenants.create();
        Instance foreign = instances.create(other, "foreign", EngineType.SANDBOX);
        list("?instanceName=foreign")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code", is("INSTANCE_NOT_FOUND")));
        list("?instanceName=" + foreign.apiInstanceName()).andExpect(status().isNotFound());
        list("?instanceName=nope").andExpect(status().isNotFound());

        Instance second = instances.create(tenant, "second", EngineType.SANDBOX);
        list("").andExpect(status().isBadRequest()).andExpect(jsonPath("$.error_code", is("INSTANCE_REQUIRED")));
        String bound = tenants.token(tenant, Set.of(Scope.CONTACTS_READ), null, second.id());
        mvc.perform(get("/api/v1/contacts?instanceName=jakarta_store").header("Authorization", "Bearer " + bound))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code", is("INSTANCE_NOT_FOUND")));
        mvc.perform(get("/api/v1/contacts").header("Authorization", "Bearer " + bound))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.instance.instanceName", is("second")))
                .andExpect(jsonPath("$.total", is(0)));
        String someId = JsonPath.read(
                        list("?instanceName=jakarta_store")
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        "$.contacts[0].id")
                .toString();
        mvc.perform(get("/api/v1/contacts/" + someId).header("Authorization", "Bearer " + bound))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/contacts/" + someId).header("Authorization", other.bearer()))
                .andExpect(status().isNotFound());
    }

    @Test
    void searchesNamesAccentAndCaseInsensitively() throws Exception {
        search("JOAO")
                .andExpect(jsonPath("$.total", is(1)))
                .andExpect(jsonPath("$.contacts[0].fullName", is("João Conceição")));
        search("CONCEIÇÃO").andExpect(jsonPath("$.total", is(1)));
        search("comércio").andExpect(jsonPath("$.contacts[0].businessName", is("Silva Comercio")));
        search("प्रिया").andExpect(jsonPath("$.total", is(1)));
        search("customer").andExpect(jsonPath("$.total", is(1)));
        search("vip", "includeGroups", "true").andExpect(jsonPath("$.contacts[0].isGroup", is(true)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"628123456789", "+62 812-3456-789", "3456 789", "(62) 812 3456789", "628123456789@s.whatsapp.net"
            })
    void searchesPhonesInAnyFormatAndJids(String q) throws Exception {
        search(q)
                .andExpect(jsonPath("$.total", is(1)))
                .andExpect(jsonPath("$.contacts[0].remoteJid", is("628123456789@s.whatsapp.net")));
    }

    @Test
    void searchesALidByItsJidOrNumber() throws Exception {
        search("100000000000009@lid").andExpect(jsonPath("$.total", is(1)));
        search("00000000009").andExpect(jsonPath("$.contacts[0].pushName", is("Lid Only")));
    }

    @Test
    void aServerNameMatchesNoContact() throws Exception {
        // The search text holds the JIDs without their servers: "whatsapp" is in every JID and tells none apart.
        search("whatsapp").andExpect(jsonPath("$.total", is(0)));
    }

    @Test
    void treatsLikeWildcardsLiterally() throws Exception {
        search("%_")
                .andExpect(jsonPath("$.total", is(1)))
                .andExpect(jsonPath("$.contacts[0].pushName", is("100%_real")));
        search("_").andExpect(jsonPath("$.total", is(1)));
        search("%").andExpect(jsonPath("$.total", is(1)));
    }

    @Test
    void pagesAreDisjointAndCoverEverything() throws Exception {
        List<ContactRecord> many = IntStream.range(0, 237)
                .mapToObj(i -> new ContactRecord(
                        "4917" + String.format("%08d", i) + "@s.whatsapp.net",
                        null,
                        i % 3 == 0 ? "Same Name" : "Name " + i,
                        null,
                        null,
                        null,
                        null))
                .toList();
        events.publishEvent(new InstanceDataEvent.ContactsReceived(store.id(), instances.lease(store.id()), many));
        Set<Object> seen = new HashSet<>();
        List<String> names = new ArrayList<>();
        int page = 1;
        boolean more = true;
        while (more) {
            String body =
                    list("?limit=17&page=" + page).andReturn().getResponse().getContentAsString();
            List<Object> ids = JsonPath.read(body, "$.contacts[*].id");
            ids.forEach(
                    id -> assertThat(seen.add(id)).as("id %s on two pages", id).isTrue());
            names.addAll(JsonPath.read(body, "$.contacts[*].name"));
            more = JsonPath.read(body, "$.hasMore");
            page++;
        }
        assertThat(seen).hasSize(243);
        assertThat(names.stream().map(n -> SearchText.fold(n)).collect(Collectors.toList()))
                .isSortedAccordingTo(String::compareTo);
    }

    @Test
    void looksUpByPhoneAndJid() throws Exception {
        mvc.perform(get("/api/v1/contacts/lookup?phone=628123456789").header("Authorization", tenant.bearer()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.contact.remoteJid", is("628123456789@s.whatsapp.net")))
                .andExpect(header().exists("ETag"));
        mvc.perform(get("/api/v1/contacts/lookup?jid=100000000000009@lid").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.contact.pushName", is("Lid Only")));
        mvc.perform(get("/api/v1/contacts/lookup?phone=551199999999").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.contact.fullName", is("Maria Silva")));
        mvc.perform(get("/api/v1/contacts/lookup?phone=4400000000").header("Authorization", tenant.bearer()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code", is("CONTACT_NOT_FOUND")));
        mvc.perform(get("/api/v1/contacts/lookup?phone=abc").header("Authorization", tenant.bearer()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.details[0].field", is("phone")));
        mvc.perform(get("/api/v1/contacts/lookup").header("Authorization", tenant.bearer()))
                .andExpect(status().isBadRequest());
    }

    @Test
    void acceptsABareVersionInIfMatchAndRejectsGarbageWithA400() throws Exception {
        String body = mvc.perform(
                        get("/api/v1/contacts/lookup?phone=628123456789").header("Authorization", tenant.bearer()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        int id = JsonPath.read(body, "$.contact.id");
        int version = JsonPath.read(body, "$.contact.version");

        mvc.perform(patch("/api/v1/contacts/" + id)
                        .header("Authorization", tenant.bearer())
                        .header("If-Match", String.valueOf(version))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"notes\":\"bare version\"}"))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"" + (version + 1) + "\""));
        mvc.perform(patch("/api/v1/contacts/" + id)
                        .header("Authorization", tenant.bearer())
                        .header("If-Match", String.valueOf(version))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"notes\":\"stale\"}"))
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath(
                        "$.error",
                        is("The contact changed since version \"" + version + "\"; it is now at \"" + (version + 1)
                                + "\"")));
        mvc.perform(patch("/api/v1/contacts/" + id)
                        .header("Authorization", tenant.bearer())
                        .header("If-Match", "version three")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"notes\":\"garbage\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_code", is("VALIDATION_ERROR")))
                .andExpect(jsonPath("$.details[0].field", is("If-Match")));
    }

    @Test
    void patchesCrmFieldsWithOptimisticLocking() throws Exception {
        String body = mvc.perform(
                        get("/api/v1/contacts/lookup?phone=628123456789").header("Authorization", tenant.bearer()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        int id = JsonPath.read(body, "$.contact.id");
        String etag = "\"" + JsonPath.read(body, "$.contact.version") + "\"";

        mvc.perform(
                        patch("/api/v1/contacts/" + id)
                                .header("Authorization", tenant.bearer())
                                .header("If-Match", etag)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"funnelStageId\":\"lead\",\"notes\":\"call back\",\"customData\":{\"tier\":\"gold\",\"tags\":[\"a\"]},\"assignedUserId\":42}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.contact.funnelStageId", is("lead")))
                .andExpect(jsonPath("$.contact.funnelStageChangedAt").isString())
                .andExpect(jsonPath("$.contact.assignedUserId", is("42")))
                .andExpect(jsonPath("$.contact.customData.tier", is("gold")));
        // The old version is stale now.
        mvc.perform(patch("/api/v1/contacts/" + id)
                        .header("Authorization", tenant.bearer())
                        .header("If-Match", etag)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"notes\":\"lost update\"}"))
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath("$.error_code", is("PRECONDITION_FAILED")));
        mvc.perform(patch("/api/v1/contacts/" + id)
                        .header("Authorization", tenant.bearer())
                        .contentType("application/merge-patch+json")
                        .content("{\"customData\":{\"tier\":null,\"score\":7},\"notes\":null}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.contact.customData.tier").doesNotExist())
                .andExpect(jsonPath("$.contact.customData.score", is(7)))
                .andExpect(jsonPath("$.contact.customData.tags[0]", is("a")))
                .andExpect(jsonPath("$.contact.notes", nullValue()))
                .andExpect(jsonPath("$.contact.funnelStageId", is("lead")));

        // A later sync keeps the CRM edits.
        events.publishEvent(new InstanceDataEvent.ContactsReceived(
                store.id(),
                instances.lease(store.id()),
                List.of(new ContactRecord("628123456789@s.whatsapp.net", null, "Johnny", null, null, null, null))));
        mvc.perform(get("/api/v1/contacts/" + id).header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.contact.pushName", is("Johnny")))
                .andExpect(jsonPath("$.contact.funnelStageId", is("lead")))
                .andExpect(jsonPath("$.contact.customData.score", is(7)));

        mvc.perform(patch("/api/v1/contacts/" + id)
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"jid\":\"x\",\"showTimeInStage\":\"yes\",\"customData\":[1]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.details", hasSize(3)));
    }

    @Test
    void savesANumberAsACrmContact() throws Exception {
        mvc.perform(post("/api/v1/contacts")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"phone\":\"+52 1 55 1234 5678\",\"name\":\"Lupita Muñoz\"}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.contact.remoteJid", is("5215512345678@s.whatsapp.net")))
                .andExpect(jsonPath("$.contact.name", is("Lupita Muñoz")));
        mvc.perform(post("/api/v1/contacts")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"jid\":\"628123456789@s.whatsapp.net\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.contact.name", is("John Customer")));
        search("munoz").andExpect(jsonPath("$.total", is(1)));
    }

    @Test
    void resolvesIdentifiersInOrder() throws Exception {
        events.publishEvent(new InstanceDataEvent.IdentitiesMapped(
                store.id(),
                instances.lease(store.id()),
                List.of(new IdentityMapping("200000000000001@lid", "5511999999999@s.whatsapp.net"))));
        mvc.perform(post("/api/v1/contacts/resolve")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"identifiers":["+62 812 3456 789","5511999999999@s.whatsapp.net","200000000000001@lid","not a number","100000000000009@lid","4400000000"]}"""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.count", is(6)))
                .andExpect(jsonPath("$.results[0].type", is("phone")))
                .andExpect(jsonPath("$.results[0].name", is("John Customer")))
                .andExpect(jsonPath("$.results[0].found", is(true)))
                .andExpect(jsonPath("$.results[1].type", is("pn")))
                .andExpect(jsonPath("$.results[1].businessName", is("Silva Comercio")))
                .andExpect(jsonPath("$.results[2].type", is("lid")))
                .andExpect(jsonPath("$.results[2].jid", is("5511999999999@s.whatsapp.net")))
                .andExpect(jsonPath("$.results[2].lid", is("200000000000001@lid")))
                .andExpect(jsonPath("$.results[2].found", is(true)))
                .andExpect(jsonPath("$.results[3].type", is("invalid")))
                .andExpect(jsonPath("$.results[3].found", is(false)))
                .andExpect(jsonPath("$.results[4].pushName", is("Lid Only")))
                .andExpect(jsonPath("$.results[5].found", is(false)))
                .andExpect(jsonPath("$.results[5].jid", is("4400000000@s.whatsapp.net")));
    }

    @Test
    void resolvesWithinAGroupOnly() throws Exception {
        events.publishEvent(new InstanceDataEvent.GroupParticipants(
                store.id(),
                instances.lease(store.id()),
                Map.of("120363000000000001@g.us", List.of("628123456789@s.whatsapp.net"))));
        mvc.perform(post("/api/v1/contacts/resolve")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"groupJid":"120363000000000001@g.us","identifiers":["628123456789","5511999999999"]}"""))
                .andExpect(jsonPath("$.results[0].found", is(true)))
                .andExpect(jsonPath("$.results[1].found", is(false)));
    }

    @Test
    void acceptsUpTo160IdentifiersAndRejects161() throws Exception {
        String ok = IntStream.range(0, 160)
                .mapToObj(i -> "\"62812000" + String.format("%05d", i) + "\"")
                .collect(Collectors.joining(","));
        mvc.perform(post("/api/v1/contacts/resolve")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"identifiers\":[" + ok + "]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.results", hasSize(160)));
        mvc.perform(post("/api/v1/contacts/resolve")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"identifiers\":[" + ok + ",\"1\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.details[0].field", containsString("identifiers")));
    }

    @Test
    void profilePictureNeedsALiveSession() throws Exception {
        mvc.perform(get("/api/v1/contacts/profile-picture?jid=628123456789@s.whatsapp.net")
                        .header("Authorization", tenant.bearer()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error_code", is("NOT_CONNECTED")));
    }
}
