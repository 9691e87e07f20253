package io.contactmirror.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Logs as Kubernetes gets them: one JSON object per line with request, tenant and instance; never a token. */
@IntegrationTest
@TestPropertySource(properties = "logging.structured.format.console=ecs")
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Test
    void writesJsonLinesWithRequestTenantAndInstanceButNoSecrets(CapturedOutput output) throws Exception {
        var tenant = tenants.create();
        mvc.perform(post("/api/v1/instances")
                        .header("Authorization", tenant.bearer())
                        .header("X-Request-Id", "log-test-1")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instanceName\":\"logged_shop\",\"engine\":\"sandbox\"}"))
                .andExpect(status().isCreated());
        String line = output.getOut()
                .lines()
                .filter(candidate -> candidate.contains("logged_shop created"))
                .findFirst()
                .orElseThrow();
        assertThat(line).startsWith("{").endsWith("}");
        assertThat(line)
                .contains(
                        "\"requestId\":\"log-test-1\"",
                        "\"tenantId\":\"" + tenant.tenantId() + "\"",
                        "\"instance\":\"");
        assertThat(output.getAll()).doesNotContain(tenant.token());
    }
}
