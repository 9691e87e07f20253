package io.contactmirror.security;

import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@IntegrationTest
@TestPropertySource(
        properties = {
            "contactmirror.rate-limit.failed-auth-burst=3",
            "contactmirror.rate-limit.failed-auth-per-minute=1"
        })
class FailedAuthenticationThrottleTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    private static MockHttpServletRequestBuilder from(String address, MockHttpServletRequestBuilder request) {
        return request.with(mock -> {
            mock.setRemoteAddr(address);
            return mock;
        });
    }

    @Test
    void anAddressThatKeepsGuessingTokensIsSlowedDownBeforeAnyLookup() throws Exception {
        var tenant = tenants.create();
        for (int i = 0; i < 3; i++) {
            mvc.perform(from("10.0.0.1", get("/api/v1/tokens").header("Authorization", "Bearer " + UUID.randomUUID())))
                    .andExpect(status().isUnauthorized());
        }
        mvc.perform(from("10.0.0.1", get("/api/v1/tokens").header("Authorization", "Bearer " + UUID.randomUUID())))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().exists("Retry-After"))
                .andExpect(jsonPath("$.error_code", is("TOO_MANY_REQUESTS")))
                .andExpect(jsonPath("$.request_id").isNotEmpty());
        // Even a valid token waits: the address is throttled, not the token.
        mvc.perform(from("10.0.0.1", get("/api/v1/tokens").header("Authorization", tenant.bearer())))
                .andExpect(status().isTooManyRequests());
        // Wrong operator tokens count too, per address.
        for (int i = 0; i < 3; i++) {
            mvc.perform(from("10.0.0.2", get("/admin/v1/tenants").header("Authorization", "Bearer wrong")))
                    .andExpect(status().isUnauthorized());
        }
        mvc.perform(from("10.0.0.2", get("/admin/v1/tenants").header("Authorization", "Bearer test-operator-token")))
                .andExpect(status().isTooManyRequests());
        // Other addresses are not affected; requests without credentials are not failures.
        mvc.perform(from("10.0.0.3", get("/api/v1/tokens"))).andExpect(status().isUnauthorized());
        mvc.perform(from("10.0.0.3", get("/api/v1/tokens").header("Authorization", tenant.bearer())))
                .andExpect(status().isOk());
    }
}
