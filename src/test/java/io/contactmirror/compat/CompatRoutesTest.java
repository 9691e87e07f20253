package io.contactmirror.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.jayway.jsonpath.JsonPath;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceDataEvent;
import io.contactmirror.instance.Instance;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Each compatibility route replays its seed's example request and answers every field of its example response. */
@IntegrationTest
class CompatRoutesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    TestTenants.TestTenant tenant;
    Instance device;

    @BeforeEach
    void seed() {
        tenant = tenants.create();
        device = instances.create(tenant, "my_device_id", EngineType.SANDBOX);
        events.publishEvent(new InstanceDataEvent.ContactsReceived(
                device.id(),
                instances.lease(device.id()),
                List.of(
                        new ContactRecord(
                                "5511999999999@s.whatsapp.net",
                                null,
                                "Maria",
                                "Maria Silva",
                                "Maria",
                                "Silva Comercio",
                                true),
                        new ContactRecord(
                                "5511888888888@s.whatsapp.net", null, "Joao", "Joao Pereira", null, null, true),
                        new ContactRecord(
                                "1234567890@s.whatsapp.net", null, "John Doe", "John Doe", "John", null, true),
                        new ContactRecord("79001234569-1479621234@g.us", null, null, "My group", null, null, null))));
    }

    private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        if (result.getRequest().isAsyncStarted()) {
            result = mvc.perform(asyncDispatch(result)).andReturn();
        }
        MockHttpServletResponse response = result.getResponse();
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        return response;
    }

    @Test
    void goWhatsAppWebMultideviceUserMyContacts() throws Exception {
        String basic =
                Base64.getEncoder().encodeToString(("username:" + tenant.token()).getBytes(StandardCharsets.UTF_8));
        var response = perform(get("/user/my/contacts")
                .header("Authorization", "Basic " + basic)
                .header("X-Device-Id", "my_device_id"));
        assertThat(response.getStatus()).isEqualTo(200);
        String body = response.getContentAsString();
        assertThat((String) JsonPath.read(body, "$.code")).isEqualTo("SUCCESS");
        assertThat((String) JsonPath.read(body, "$.message")).isEqualTo("Success get list contacts");
        List<Map<String, Object>> data = JsonPath.read(body, "$.results.data");
        assertThat(data)
                .hasSize(3)
                .allSatisfy(item -> assertThat(item)
                        .containsOnlyKeys("jid", "name")
                        .hasEntrySatisfying("jid", jid -> assertThat(jid).isInstanceOf(String.class))
                        .hasEntrySatisfying("name", name -> assertThat(name).isInstanceOf(String.class)));
        assertThat(data).extracting(item -> item.get("name")).contains("John Doe", "Maria Silva");

        var unauthorized = perform(get("/user/my/contacts")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("u:wrong".getBytes())));
        assertThat(unauthorized.getStatus()).isEqualTo(401);
        Map<String, Object> error = JsonPath.read(unauthorized.getContentAsString(), "$");
        assertThat(error).containsOnlyKeys("code", "message", "results").containsEntry("results", null);

        var unknownDevice = perform(get("/user/my/contacts")
                .header("Authorization", "Basic " + basic)
                .header("X-Device-Id", "nope"));
        assertThat(unknownDevice.getStatus()).isEqualTo(404);
        assertThat((String) JsonPath.read(unknownDevice.getContentAsString(), "$.code"))
                .isEqualTo("INSTANCE_NOT_FOUND");
    }

    @Test
    void whatsmeowGetContactAndGetContacts() throws Exception {
        var one = perform(get("/getcontact?phone=1234567890").header("Authorization", tenant.bearer()));
        assertThat(one.getStatus()).isEqualTo(200);
        Map<String, Object> contact = JsonPath.read(one.getContentAsString(), "$");
        assertThat(contact)
                .containsOnlyKeys("jid", "push_name", "full_name", "first_name")
                .containsEntry("jid", "1234567890@s.whatsapp.net")
                .containsEntry("push_name", "John Doe")
                .containsEntry("full_name", "John Doe")
                .containsEntry("first_name", "John");

        var all = perform(get("/getcontacts").header("Authorization", tenant.bearer()));
        List<Map<String, Object>> list = JsonPath.read(all.getContentAsString(), "$");
        assertThat(list)
                .hasSize(3)
                .allSatisfy(item -> assertThat(item).containsOnlyKeys("jid", "push_name", "full_name", "first_name"));

        assertThat(perform(get("/getcontact?phone=+1 234").header("Authorization", tenant.bearer()))
                        .getStatus())
                .isEqualTo(400);
        assertThat(perform(get("/getcontact?phone=4400000000").header("Authorization", tenant.bearer()))
                        .getStatus())
                .isEqualTo(404);
    }

    @Test
    void wutsContacts() throws Exception {
        var response = perform(get("/contacts").header("Authorization", tenant.bearer()));
        assertThat(response.getStatus()).isEqualTo(200);
        String body = response.getContentAsString();
        assertThat((Boolean) JsonPath.read(body, "$.success")).isTrue();
        assertThat((Integer) JsonPath.read(body, "$.count")).isEqualTo(3);
        List<Map<String, Object>> contacts = JsonPath.read(body, "$.contacts");
        assertThat(contacts)
                .allSatisfy(item -> assertThat(item.keySet())
                        .isSubsetOf("jid", "first_name", "full_name", "push_name", "business_name")
                        .contains("jid"));
        assertThat(contacts)
                .anySatisfy(item -> assertThat(item)
                        .containsEntry("jid", "5511999999999@s.whatsapp.net")
                        .containsEntry("first_name", "Maria")
                        .containsEntry("full_name", "Maria Silva")
                        .containsEntry("push_name", "Maria")
                        .containsEntry("business_name", "Silva Comercio"));
        assertThat(contacts)
                .anySatisfy(item -> assertThat(item)
                        .containsOnlyKeys("jid", "full_name", "push_name")
                        .containsEntry("full_name", "Joao Pereira"));

        var unauthorized = perform(get("/contacts"));
        assertThat(unauthorized.getStatus()).isEqualTo(401);
        Map<String, Object> error = JsonPath.read(unauthorized.getContentAsString(), "$");
        assertThat(error)
                .containsKeys("success", "error", "error_code", "timestamp")
                .containsEntry("success", false);
    }

    @Test
    void greenApiGetContacts() throws Exception {
        String pathToken = tenants.pathToken(tenant, device.id());
        var response = perform(get("/waInstance" + device.id() + "/getContacts/" + pathToken));
        assertThat(response.getStatus()).isEqualTo(200);
        List<Map<String, Object>> contacts = JsonPath.read(response.getContentAsString(), "$");
        assertThat(contacts).hasSize(4);
        assertThat(contacts)
                .anySatisfy(item -> assertThat(item)
                        .containsOnlyKeys("id", "name", "contactName", "type")
                        .containsEntry("id", "1234567890@c.us")
                        .containsEntry("name", "John Doe")
                        .containsEntry("contactName", "John Doe")
                        .containsEntry("type", "user"));
        assertThat(contacts)
                .anySatisfy(item -> assertThat(item)
                        .containsOnlyKeys("id", "name", "type")
                        .containsEntry("id", "79001234569-1479621234@g.us")
                        .containsEntry("name", "My group")
                        .containsEntry("type", "group"));

        var other = tenants.create();
        var otherDevice = instances.create(other, "other_device", EngineType.SANDBOX);
        assertThat(perform(get("/waInstance" + device.id() + "/getContacts/"
                                + tenants.pathToken(other, otherDevice.id())))
                        .getStatus())
                .isEqualTo(404);
        // Owner tokens never work in the path, so a leaked URL cannot carry one.
        assertThat(perform(get("/waInstance" + device.id() + "/getContacts/" + tenant.token()))
                        .getStatus())
                .isEqualTo(401);
        assertThat(perform(get("/waInstance" + device.id() + "/getContacts/not-a-token"))
                        .getStatus())
                .isEqualTo(401);
    }
}
