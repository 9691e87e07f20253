package io.contactmirror.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** The token-grant cache is Caffeine's, bounded and visible in the metrics (revocation: BearerAuthenticationTest). */
@IntegrationTest
class TokenGrantCacheTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    MeterRegistry meters;

    @Test
    void aRepeatedLookupIsACacheHitCountedInTheMetrics() throws Exception {
        var tenant = tenants.create();
        double hitsBefore = count("hit");
        double missesBefore = count("miss");

        mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/tokens").header("Authorization", tenant.bearer()))
                .andExpect(status().isOk());

        assertThat(count("miss")).isGreaterThanOrEqualTo(missesBefore + 1);
        assertThat(count("hit")).isGreaterThanOrEqualTo(hitsBefore + 1);
        assertThat(meters.get("cache.size").tag("cache", "tokenGrants").gauge().value())
                .isPositive();
    }

    @Test
    void anUnknownSecretIsCachedAsUnknown() throws Exception {
        String unknown = "Bearer " + UUID.randomUUID();
        double hitsBefore = count("hit");

        mvc.perform(get("/api/v1/tokens").header("Authorization", unknown)).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/tokens").header("Authorization", unknown)).andExpect(status().isUnauthorized());

        assertThat(count("hit")).isGreaterThanOrEqualTo(hitsBefore + 1);
    }

    private double count(String result) {
        return meters.get("cache.gets")
                .tag("cache", "tokenGrants")
                .tag("result", result)
                .functionCounter()
                .count();
    }
}
