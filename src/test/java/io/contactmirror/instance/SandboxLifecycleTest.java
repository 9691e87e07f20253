package io.contactmirror.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.jayway.jsonpath.JsonPath;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@IntegrationTest
class SandboxLifecycleTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    TestTenants.TestTenant tenant;

    @BeforeEach
    void createTenant() {
        tenant = tenants.create();
    }

    private MvcResult call(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header("Authorization", tenant.bearer())).andReturn();
    }

    private Map<String, Object> instance(String name) throws Exception {
        return JsonPath.read(
                call(get("/api/v1/instances/" + name)).getResponse().getContentAsString(), "$.instance");
    }

    private void awaitStatus(String name, String status) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(instance(name)).containsEntry("status", status));
    }

    private void inject(String name, String event) throws Exception {
        mvc.perform(post("/api/v1/instances/" + name + "/sandbox/events")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(event))
                .andExpect(status().isAccepted());
    }

    @Test
    void goesThroughTheLifeOfARealPhone() throws Exception {
        mvc.perform(
                        post("/api/v1/instances")
                                .header("Authorization", tenant.bearer())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"instanceName\":\"phone\",\"engine\":\"sandbox\",\"sandbox\":{\"seed\":7,\"contacts\":300,\"groups\":4}}"))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/instances/phone/connect").header("Authorization", tenant.bearer()))
                .andExpect(status().isAccepted());
        awaitStatus("phone", "PAIRING");

        String qr = JsonPath.read(
                call(get("/api/v1/instances/phone/qr")).getResponse().getContentAsString(), "$.qr");
        assertThat(qr).startsWith("2@");
        byte[] png = mvc.perform(get("/api/v1/instances/phone/qr")
                        .header("Authorization", tenant.bearer())
                        .accept(MediaType.IMAGE_PNG))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_PNG))
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        var image = ImageIO.read(new ByteArrayInputStream(png));
        String decoded = new QRCodeReader()
                .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
                .getText();
        assertThat(decoded).isEqualTo(qr);

        mvc.perform(post("/api/v1/instances/phone/sandbox/scan").header("Authorization", tenant.bearer()))
                .andExpect(status().isAccepted());
        awaitStatus("phone", "CONNECTED");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(instance("phone")).containsEntry("syncState", "SYNCED"));
        Map<String, Object> synced = instance("phone");
        assertThat(synced.get("contactsCount")).isEqualTo(300);
        mvc.perform(get("/api/v1/instances").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.instances[?(@.instanceName == 'phone')].contactsCount", contains(300)));
        assertThat((String) synced.get("phoneJid")).endsWith("@s.whatsapp.net");
        assertThat(synced.get("contactsSyncedAt")).isNotNull();
        mvc.perform(get("/api/v1/contacts?instanceName=phone").header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.total", is(300)));
        mvc.perform(get("/api/v1/contacts?instanceName=phone&includeGroups=true")
                        .header("Authorization", tenant.bearer()))
                .andExpect(jsonPath("$.total", is(304)));

        // Live queries go to the session: the profile picture, then the short-circuit on an unchanged picture.
        java.util.List<String> jids = JsonPath.read(
                mvc.perform(get("/api/v1/contacts?instanceName=phone&limit=20")
                                .header("Authorization", tenant.bearer()))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.contacts[*].remoteJid");
        String withPicture = null;
        String pictureId = null;
        for (String jid : jids) {
            var call = mvc.perform(get("/api/v1/contacts/profile-picture?instanceName=phone&jid=" + jid)
                            .header("Authorization", tenant.bearer()))
                    .andReturn();
            String picture = mvc.perform(
                            org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch(call))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.success", is(true)))
                    .andExpect(jsonPath("$.jid", is(jid)))
                    .andExpect(jsonPath("$.type", is("preview")))
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            if (JsonPath.read(picture, "$.id") != null) {
                withPicture = jid;
                pictureId = JsonPath.read(picture, "$.id");
                assertThat((Boolean) JsonPath.read(picture, "$.changed")).isTrue();
                assertThat((String) JsonPath.read(picture, "$.url")).startsWith("https://pps.whatsapp.net/");
                break;
            }
        }
        assertThat(withPicture).as("one of 20 sandbox contacts has a picture").isNotNull();
        var unchanged = mvc.perform(get("/api/v1/contacts/profile-picture?instanceName=phone&jid=" + withPicture
                                + "&existing_id=" + pictureId)
                        .header("Authorization", tenant.bearer()))
                .andReturn();
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch(unchanged))
                .andExpect(jsonPath("$.changed", is(false)))
                .andExpect(jsonPath("$.id", is(pictureId)));

        // A live change arrives after the sync.
        inject("phone", "{\"type\":\"contact\",\"jid\":\"4915112345678@s.whatsapp.net\",\"pushName\":\"Neu Kontakt\"}");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> mvc.perform(get("/api/v1/contacts/lookup?instanceName=phone&phone=4915112345678")
                                .header("Authorization", tenant.bearer()))
                        .andExpect(status().isOk())
                        .andExpect(jsonPath("$.contact.pushName", is("Neu Kontakt"))));

        // The connection drops and comes back on its own, without a new QR code.
        inject("phone", "{\"type\":\"disconnect\",\"reason\":\"CONNECTION_LOST\"}");
        // The reconnect may be over before a poll sees RECONNECTING; the drop itself stays on the row.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(instance("phone").get("lastDisconnectReason")).isEqualTo("CONNECTION_LOST");
            assertThat(instance("phone").get("lastDisconnectAt")).isNotNull();
        });
        awaitStatus("phone", "CONNECTED");
        assertThat(instance("phone").get("lastDisconnectReason"))
                .as("the last disconnect stays visible")
                .isEqualTo("CONNECTION_LOST");

        mvc.perform(post("/api/v1/instances/phone/logout").header("Authorization", tenant.bearer()))
                .andExpect(status().isAccepted());
        awaitStatus("phone", "LOGGED_OUT");
        // Logged out means unpaired: connecting again asks for a QR code.
        mvc.perform(post("/api/v1/instances/phone/connect").header("Authorization", tenant.bearer()));
        awaitStatus("phone", "PAIRING");
    }

    @Test
    void pairsByPhoneNumberAndStopsForGoodWhenBanned() throws Exception {
        mvc.perform(
                post("/api/v1/instances")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                                "{\"instanceName\":\"by_code\",\"engine\":\"sandbox\",\"sandbox\":{\"contacts\":20,\"groups\":0}}"));
        var code = mvc.perform(post("/api/v1/instances/by_code/pairing-code")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"phone\":\"+62 812 3456 7890\"}"))
                .andReturn();
        String body = mvc.perform(
                        org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch(code))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat((String) JsonPath.read(body, "$.pairingCode")).matches("[A-Z0-9]{8}");

        call(post("/api/v1/instances/by_code/sandbox/scan"));
        awaitStatus("by_code", "CONNECTED");
        inject("by_code", "{\"type\":\"disconnect\",\"reason\":\"BANNED\"}");
        awaitStatus("by_code", "LOGGED_OUT");
        assertThat(instance("by_code")).containsEntry("lastDisconnectReason", "BANNED");
    }

    @Test
    void logsOutAnInstanceWhoseSessionIsClosed() throws Exception {
        mvc.perform(
                post("/api/v1/instances")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                                "{\"instanceName\":\"resting\",\"engine\":\"sandbox\",\"sandbox\":{\"contacts\":5,\"groups\":0}}"));
        call(post("/api/v1/instances/resting/connect"));
        awaitStatus("resting", "PAIRING");
        call(post("/api/v1/instances/resting/sandbox/scan"));
        awaitStatus("resting", "CONNECTED");
        call(post("/api/v1/instances/resting/disconnect"));
        awaitStatus("resting", "DISCONNECTED");
        // No session is open anywhere, yet the logout must unpair the device.
        call(post("/api/v1/instances/resting/logout"));
        awaitStatus("resting", "LOGGED_OUT");
        call(post("/api/v1/instances/resting/connect"));
        awaitStatus("resting", "PAIRING");
    }

    @Test
    void keepsTheSandboxAwayFromRealInstancesAndRejectsBadEvents() throws Exception {
        mvc.perform(post("/api/v1/instances")
                .header("Authorization", tenant.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"instanceName\":\"real_phone\",\"engine\":\"whatsapp\"}"));
        mvc.perform(post("/api/v1/instances/real_phone/sandbox/scan").header("Authorization", tenant.bearer()))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/instances/real_phone/sandbox/events")
                        .header("Authorization", tenant.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\":\"disconnect\",\"reason\":\"BANNED\"}"))
                .andExpect(status().isNotFound());

        mvc.perform(post("/api/v1/instances")
                .header("Authorization", tenant.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"instanceName\":\"toy\",\"engine\":\"sandbox\"}"));
        for (String bad : new String[] {
            "{\"type\":\"contact\",\"jid\":\"not a jid\"}",
            "{\"type\":\"teleport\"}",
            "{\"type\":\"disconnect\"}",
            "{\"type\":\"mapping\",\"lid\":\"123@lid\",\"phone\":\"123\"}"
        }) {
            mvc.perform(post("/api/v1/instances/toy/sandbox/events")
                            .header("Authorization", tenant.bearer())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(bad))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.success", is(false)));
        }
    }
}
