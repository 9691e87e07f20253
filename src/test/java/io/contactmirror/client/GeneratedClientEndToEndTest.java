package io.contactmirror.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.contactmirror.client.api.ChangeFeedApi;
import io.contactmirror.client.api.ContactsApi;
import io.contactmirror.client.api.InstancesApi;
import io.contactmirror.client.api.OperatorApi;
import io.contactmirror.client.api.TokensApi;
import io.contactmirror.client.api.WebhooksApi;
import io.contactmirror.client.model.ContactCrmPatch;
import io.contactmirror.client.model.ContactView;
import io.contactmirror.client.model.CreateInstanceRequest;
import io.contactmirror.client.model.CreateTenantRequest;
import io.contactmirror.client.model.CreateTokenRequest;
import io.contactmirror.client.model.CreateWebhookRequest;
import io.contactmirror.client.model.EngineType;
import io.contactmirror.client.model.ErrorResponse;
import io.contactmirror.client.model.InstanceStatus;
import io.contactmirror.client.model.Owner;
import io.contactmirror.client.model.ResolveRequest;
import io.contactmirror.client.model.SandboxContactEvent;
import io.contactmirror.client.model.SandboxEvent;
import io.contactmirror.client.model.SandboxRequest;
import io.contactmirror.client.model.Scope;
import io.contactmirror.client.model.SyncState;
import io.contactmirror.client.model.UpdateWebhookRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * A customer's integration, written only against the Java client generated from {@code openapi/openapi.yaml}: if
 * the contract cannot express something the service does, this test cannot be written. Every response it gets is
 * checked against the contract ({@link ContractValidation}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(ContractValidation.class)
class GeneratedClientEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    ContractValidation contract;

    private ApiClient client(String bearer) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
        return client;
    }

    @Test
    void integratesThroughTheGeneratedClientOnly() throws Exception {
        var onboarded = new OperatorApi(client("test-operator-token"))
                .createTenant(new CreateTenantRequest()
                        .slug("client-e2e")
                        .name("Client E2E")
                        .owner(new Owner().email("owner@client-e2e.test").displayName("Owner")));
        String ownerToken = onboarded.getToken().getToken().toString();

        var token = new TokensApi(client(ownerToken))
                .createToken(new CreateTokenRequest()
                        .label("integration")
                        .scopes(Set.of(
                                Scope.CONTACTS_READ,
                                Scope.CONTACTS_WRITE,
                                Scope.INSTANCES_READ,
                                Scope.INSTANCES_WRITE)));
        ApiClient api = client(token.getToken().getToken().toString());
        InstancesApi instances = new InstancesApi(api);
        ContactsApi contacts = new ContactsApi(api);

        var created = instances.createInstance(new CreateInstanceRequest()
                .instanceName("shop")
                .engine(EngineType.SANDBOX)
                .sandbox(new SandboxRequest().seed(11L).contacts(180).groups(3)));
        assertThat(created.getInstance().getApiInstanceName()).endsWith("_shop");

        instances.connectInstance("shop");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> instances.getInstance("shop").getInstance().getStatus() == InstanceStatus.PAIRING);
        var qr = instances.getInstanceQrCode("shop");
        assertThat(qr.getQr()).startsWith("2@");
        assertThat(qr.getStatus()).isEqualTo(InstanceStatus.PAIRING);
        byte[] png =
                Files.readAllBytes(instances.getInstanceQrCodeImage("shop", 200).toPath());
        assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PNG");
        instances.sandboxScan("shop");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> instances.getInstance("shop").getInstance().getSyncState() == SyncState.SYNCED);
        long expected = instances.getInstance("shop").getInstance().getContactsCount();
        assertThat(expected).isEqualTo(180);

        // Page through everything: disjoint pages whose union is the whole set.
        Set<Long> seen = new HashSet<>();
        List<ContactView> all = new ArrayList<>();
        int page = 1;
        while (true) {
            var result = contacts.listContacts("shop", null, page, 40, false, null, null);
            assertThat(result.getTotal()).isEqualTo(expected);
            result.getContacts()
                    .forEach(contact -> assertThat(seen.add(contact.getId())).isTrue());
            all.addAll(result.getContacts());
            if (!result.getHasMore()) {
                break;
            }
            page++;
        }
        assertThat(seen).hasSize((int) expected);

        // The same walk by cursor, and the updatedSince filter.
        List<Long> byCursor = new ArrayList<>();
        String cursor = null;
        do {
            var result = contacts.listContacts("shop", null, 1, 40, false, cursor, null);
            result.getContacts().forEach(contact -> byCursor.add(contact.getId()));
            cursor = result.getNextCursor();
        } while (cursor != null);
        assertThat(byCursor)
                .containsExactlyElementsOf(all.stream().map(ContactView::getId).toList());
        var sinceLongAgo = contacts.listContacts(
                "shop", null, 1, 1, false, null, java.time.OffsetDateTime.parse("2000-01-01T00:00:00Z"));
        assertThat(sinceLongAgo.getTotal()).isEqualTo(expected);
        assertThat(sinceLongAgo.getTotalExact()).isTrue();

        ContactView someone = all.stream()
                .filter(contact -> contact.getFullName() != null)
                .findFirst()
                .orElseThrow();
        String word = someone.getFullName().split(" ")[0];
        assertThat(contacts.listContacts("shop", word, 1, 100, false, null, null)
                        .getContacts())
                .extracting(ContactView::getId)
                .contains(someone.getId());

        // CRM fields with optimistic locking.
        var read = contacts.getContactWithHttpInfo(someone.getId());
        String etag = read.getHeaders().get("etag").getFirst();
        var updated = contacts.updateContactCrmFields(
                someone.getId(),
                new ContactCrmPatch().funnelStageId("qualified").customData(java.util.Map.of("source", "client")),
                etag);
        assertThat(updated.getContact().getFunnelStageId()).isEqualTo("qualified");
        assertThatThrownBy(() ->
                        contacts.updateContactCrmFields(someone.getId(), new ContactCrmPatch().notes("stale"), etag))
                .isInstanceOfSatisfying(
                        ApiException.class, ex -> assertThat(ex.getCode()).isEqualTo(412));

        // Live update through the sandbox, then identifier resolution.
        instances.sandboxInjectEvent(
                "shop",
                new SandboxEvent(new SandboxContactEvent()
                        .type(SandboxContactEvent.TypeEnum.CONTACT)
                        .jid("6281299990000@s.whatsapp.net")
                        .pushName("Client Test")
                        .fullName("Client Test Full")));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(contacts.lookupContact("shop", "6281299990000", null)
                                .getContact()
                                .getPushName())
                        .isEqualTo("Client Test"));
        assertThat(contacts.lookupContact("shop", "6281299990000", null)
                        .getContact()
                        .getFullName())
                .isEqualTo("Client Test Full");
        var resolved = contacts.resolveIdentifiers(new ResolveRequest()
                .instanceName("shop")
                .identifiers(List.of(someone.getRemoteJid(), "+62 812 9999 0000", "nonsense")));
        assertThat(resolved.getResults())
                .extracting(result -> result.getFound())
                .containsExactly(true, true, false);

        // Change feed: a cursor that resumes, the export (a download) equal to the list, a typed error of the stream.
        ChangeFeedApi feed = new ChangeFeedApi(api);
        var changes = feed.listContactChanges("shop", null, 1000);
        assertThat(changes.getNextCursor()).isNotBlank();
        assertThat(feed.listContactChanges("shop", changes.getNextCursor(), 10).getHasMore())
                .isFalse();
        List<String> exported = Files.readAllLines(
                contacts.exportContacts("shop", "ndjson", null, false, null).toPath());
        assertThat(exported).hasSize((int) expected + 1);
        String csv = Files.readString(
                contacts.exportContacts("shop", "csv", null, false, null).toPath());
        assertThat(csv).startsWith("id,name,phone,remoteJid,");
        assertThatThrownBy(() -> feed.streamEvents("shop", "contact.renamed", null, null))
                .isInstanceOfSatisfying(
                        ApiException.class, ex -> assertThat(ex.getCode()).isEqualTo(400));

        // The error envelope, as a typed model.
        assertThatThrownBy(() -> instances.getInstance("nope")).isInstanceOfSatisfying(ApiException.class, ex -> {
            assertThat(ex.getCode()).isEqualTo(404);
            try {
                ErrorResponse error = api.getObjectMapper().readValue(ex.getResponseBody(), ErrorResponse.class);
                assertThat(error.getSuccess()).isFalse();
                assertThat(error.getErrorCode()).isEqualTo("INSTANCE_NOT_FOUND");
                assertThat(error.getRequestId()).isNotBlank();
            } catch (Exception parse) {
                throw new AssertionError(parse);
            }
        });

        // Webhooks through the client (paused: nothing is sent to the documentation address).
        WebhooksApi webhooks = new WebhooksApi(api);
        var hook = webhooks.createWebhook(new CreateWebhookRequest()
                .url("https://93.184.215.14/hooks")
                .eventTypes(List.of("contact.created", "contact.merged"))
                .enabled(false));
        assertThat(hook.getWebhook().getSecret()).startsWith("whsec_");
        assertThat(webhooks.getWebhook(hook.getWebhook().getId()).getWebhook().getEventTypes())
                .containsExactly("contact.created", "contact.merged");
        assertThat(webhooks.updateWebhook(hook.getWebhook().getId(), new UpdateWebhookRequest().eventTypes(List.of()))
                        .getWebhook()
                        .getEventTypes())
                .isEmpty();
        assertThat(webhooks.listWebhookDeliveries(hook.getWebhook().getId(), null, 1, 10)
                        .getTotal())
                .isZero();
        webhooks.deleteWebhook(hook.getWebhook().getId());

        assertThat(contract.violations())
                .as("responses that do not match openapi/openapi.yaml")
                .isEmpty();
        assertThat(contract.checkedOperations())
                .containsKeys(
                        "GET /api/v1/contacts/{id}",
                        "PATCH /api/v1/contacts/{id}",
                        "GET /api/v1/instances/{instanceName}/qr.png",
                        "GET /api/v1/contacts/changes",
                        "GET /api/v1/contacts/export",
                        "GET /api/v1/events");
    }
}
