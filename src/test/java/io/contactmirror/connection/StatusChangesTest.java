package io.contactmirror.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.changelog.ChangeRecord;
import io.contactmirror.changelog.ChangeType;
import io.contactmirror.support.IntegrationTest;
import io.contactmirror.support.TestTenants;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Where the connection writes an instance's status, the change log gets the transition, with the sync's end. */
@IntegrationTest
class StatusChangesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestTenants tenants;

    @Autowired
    ChangeLog changeLog;

    @Autowired
    JdbcClient jdbc;

    @Test
    void recordsEachStatusTransitionOnceAndTheCompletedSync() throws Exception {
        var tenant = tenants.create();
        mvc.perform(
                        post("/api/v1/instances")
                                .header("Authorization", tenant.bearer())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"instanceName\":\"status_feed\",\"engine\":\"sandbox\",\"sandbox\":{\"seed\":3,\"contacts\":40,\"groups\":2}}"))
                .andExpect(status().isCreated());
        long id = jdbc.sql("SELECT id FROM instances WHERE instance_name = 'status_feed' AND tenant_id = ?")
                .param(tenant.tenantId())
                .query(Long.class)
                .single();
        mvc.perform(post("/api/v1/instances/status_feed/sandbox/scan").header("Authorization", tenant.bearer()));
        mvc.perform(post("/api/v1/instances/status_feed/connect").header("Authorization", tenant.bearer()))
                .andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> changeLog.after(id, 0, 1000).stream()
                        .anyMatch(change -> change.type() == ChangeType.INSTANCE_SYNC_COMPLETED));

        List<ChangeRecord> changes = changeLog.after(id, 0, 1000);
        List<ChangeRecord> statuses = changes.stream()
                .filter(change -> change.type() == ChangeType.INSTANCE_STATUS_CHANGED)
                .toList();
        assertThat(statuses).isNotEmpty();
        assertThat(statuses.getLast().data().get("status").asString()).isEqualTo("CONNECTED");
        for (int i = 0; i < statuses.size(); i++) {
            var data = statuses.get(i).data();
            assertThat(data.get("status").asString())
                    .as("only real transitions")
                    .isNotEqualTo(data.get("previousStatus").asString());
            if (i > 0) {
                assertThat(data.get("previousStatus").asString())
                        .isEqualTo(statuses.get(i - 1).data().get("status").asString());
            }
        }
        ChangeRecord synced = changes.stream()
                .filter(change -> change.type() == ChangeType.INSTANCE_SYNC_COMPLETED)
                .findFirst()
                .orElseThrow();
        assertThat(synced.data().get("groups").asLong()).isEqualTo(2);
        assertThat(synced.data().get("contacts").asLong())
                .isEqualTo(jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND NOT is_group")
                        .param(id)
                        .query(Long.class)
                        .single());
        assertThat(changes.stream()
                        .filter(change -> change.type() == ChangeType.CONTACT_CREATED)
                        .count())
                .isEqualTo(synced.data().get("contacts").asLong() + 2);
    }
}
