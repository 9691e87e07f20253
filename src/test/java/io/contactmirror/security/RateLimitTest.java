package io.contactmirror.security;

import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

@IntegrationTest
@TestPropertySource(
        properties = {"contactmirror.rate-limit.requests-per-second=0.01", "contactmirror.rate-limit.burst=2"})
class RateLimitTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Test
    void answersTooManyRequestsOnceATokenSpentItsBudget() throws Exception {
        var tenant = tenants.create();
        var other = tenants.create();
        mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().exists("Retry-After"))
                .andExpect(jsonPath("$.success", is(false)))
                .andExpect(jsonPath("$.error_code", is("TOO_MANY_REQUESTS")));
        // Budgets are per token.
        mvc.perform(get("/api/v1/tokens").header("Authorization", other.bearer()))
                .andExpect(status().isOk());
    }
}
