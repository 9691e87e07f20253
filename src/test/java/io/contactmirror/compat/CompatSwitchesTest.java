package io.contactmirror.compat;

import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.connection.EngineType;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** A seed API switched off in the settings has no routes: its paths answer 404 in the envelope, the others stay. */
@IntegrationTest
@TestPropertySource(properties = "contactmirror.compat.wuts.enabled=false")
class CompatSwitchesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    TestInstances instances;

    @Test
    void aSwitchedOffApiAnswersNotFoundWhileTheOthersServe() throws Exception {
        TestTenants.TestTenant tenant = tenants.create();

        instances.create(tenant, "device", EngineType.SANDBOX);

        mvc.perform(get("/contacts").header("Authorization", tenant.bearer()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.success", is(false)))
                .andExpect(jsonPath("$.error_code", is("NOT_FOUND")));
        mvc.perform(get("/getcontacts").header("Authorization", tenant.bearer()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()", is(0)));
    }
}
