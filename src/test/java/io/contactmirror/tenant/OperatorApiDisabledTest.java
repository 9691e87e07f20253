package io.contactmirror.tenant;

import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

@IntegrationTest
@TestPropertySource(properties = "contactmirror.admin.token=")
class OperatorApiDisabledTest {

    @Autowired
    MockMvc mvc;

    @Test
    void hidesTheOperatorApiWhenNoOperatorTokenIsConfigured() throws Exception {
        for (String authorization : new String[] {"Bearer ", "Bearer test-operator-token", "Bearer anything"}) {
            mvc.perform(get("/admin/v1/tenants").header("Authorization", authorization))
                    .andExpect(status().isNotFound())
                    .andExpect(jsonPath("$.success", is(false)))
                    .andExpect(jsonPath("$.error_code", is("NOT_FOUND")));
        }
        mvc.perform(get("/admin/v1/tenants")).andExpect(status().isNotFound());
    }
}
