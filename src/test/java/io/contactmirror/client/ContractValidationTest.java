package io.contactmirror.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator the end-to-end tests rely on really rejects what the contract does not allow. */
class ContractValidationTest {

    final ContractValidation contract = new ContractValidation();

    ContractValidationTest() throws Exception {}

    @Test
    void acceptsAnErrorEnvelopeTheContractDescribes() {
        contract.check(
                "GET",
                "/api/v1/instances/shop",
                404,
                "application/json",
                envelope("INSTANCE_NOT_FOUND"),
                headers(Map.of("X-Request-Id", "r1")));
        assertThat(contract.violations()).isEmpty();
        assertThat(contract.checkedOperations()).containsEntry("GET /api/v1/instances/{instanceName}", 1);
    }

    @Test
    void rejectsAnUndeclaredNullAMissingFieldAStatusAndAHeader() {
        contract.check(
                "GET",
                "/api/v1/tokens/6f1c9b1e-5d7a-4c21-9f55-0d3b8e2a7c10",
                200,
                "application/json",
                "{\"success\":true,\"token\":{\"id\":\"6f1c9b1e-5d7a-4c21-9f55-0d3b8e2a7c10\",\"label\":null}}"
                        .getBytes(StandardCharsets.UTF_8),
                headers(Map.of("X-Request-Id", "r2")));
        contract.check(
                "GET",
                "/api/v1/instances",
                418,
                "application/json",
                envelope("INTERNAL_ERROR"),
                headers(Map.of("X-Request-Id", "r3")));
        contract.check(
                "GET",
                "/api/v1/contacts/7",
                200,
                "application/json",
                "{}".getBytes(StandardCharsets.UTF_8),
                headers(Map.of()));
        assertThat(contract.violations())
                .anyMatch(line -> line.contains("/token/label"))
                .anyMatch(line -> line.contains("required property 'scopes'"))
                .anyMatch(line -> line.contains("status not declared"))
                .anyMatch(line -> line.contains("required header ETag missing"))
                .anyMatch(line -> line.contains("required header X-Request-Id missing"));
    }

    @Test
    void rejectsAMediaTypeTheOperationDoesNotDeclare() {
        contract.check(
                "GET",
                "/api/v1/instances/shop/qr.png",
                200,
                "application/json",
                "{}".getBytes(StandardCharsets.UTF_8),
                headers(Map.of("X-Request-Id", "r4")));
        assertThat(contract.violations()).anyMatch(line -> line.contains("media type 'application/json' not declared"));
    }

    private static byte[] envelope(String code) {
        return ("{\"success\":false,\"error\":\"x\",\"error_code\":\"" + code
                        + "\",\"timestamp\":\"2026-06-15T12:00:00Z\",\"request_id\":\"r\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static ContractValidation.HeaderLookup headers(Map<String, String> values) {
        return values::get;
    }
}
