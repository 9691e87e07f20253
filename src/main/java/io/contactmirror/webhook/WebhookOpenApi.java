package io.contactmirror.webhook;

import io.contactmirror.changelog.ChangeEvent;
import io.contactmirror.changelog.ChangeType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The contract's OpenAPI 3.1 {@code webhooks} section: one entry per change type, each a signed POST of a
 * {@code ChangeEvent} with the Standard Webhooks headers.
 */
@Component
class WebhookOpenApi implements OpenApiCustomizer {

    private static final String SCHEMA = "ChangeEvent";
    private static final Map<ChangeType, String> EXAMPLES = Map.of(
            ChangeType.CONTACT_CREATED,
                    "{\"contact\":{\"id\":981,\"jid\":\"5511987654321@s.whatsapp.net\",\"lid\":null,\"phone\":\"+5511987654321\",\"name\":\"Ana\",\"pushName\":\"Ana\",\"fullName\":null,\"firstName\":null,\"businessName\":null,\"isGroup\":false}}",
            ChangeType.CONTACT_UPDATED, "{\"changes\":{\"pushName\":{\"old\":\"Ana\",\"new\":\"Ana Maria\"}}}",
            ChangeType.CONTACT_MERGED,
                    "{\"fromId\":12,\"intoId\":34,\"fromJid\":\"81234567890123@lid\",\"intoJid\":\"5511987654321@s.whatsapp.net\"}",
            ChangeType.CONTACT_DELETED, "{\"jid\":\"5511987654321@s.whatsapp.net\"}",
            ChangeType.INSTANCE_STATUS_CHANGED,
                    "{\"status\":\"CONNECTED\",\"previousStatus\":\"CONNECTING\",\"reason\":null}",
            ChangeType.INSTANCE_SYNC_COMPLETED, "{\"contacts\":123,\"groups\":4}");

    private final tools.jackson.databind.json.JsonMapper json;

    WebhookOpenApi(tools.jackson.databind.json.JsonMapper json) {
        this.json = json;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        if (openApi.getComponents().getSchemas() == null
                || !openApi.getComponents().getSchemas().containsKey(SCHEMA)) {
            Schema<?> event =
                    ModelConverters.getInstance(true).readAll(ChangeEvent.class).get(SCHEMA);
            Schema<?> data = event.getProperties().get("data");
            event.getProperties()
                    .put(
                            "data",
                            new ObjectSchema()
                                    .additionalProperties(true)
                                    .description(data == null ? null : data.getDescription()));
            openApi.getComponents().addSchemas(SCHEMA, event);
        }
        Map<String, PathItem> webhooks = new LinkedHashMap<>();
        for (ChangeType type : ChangeType.values()) {
            webhooks.put(type.wireName(), new PathItem().post(operation(type)));
        }
        openApi.setWebhooks(webhooks);
    }

    private Operation operation(ChangeType type) {
        String camel = toCamel(type.wireName());
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("id", "chg_42_1017");
        example.put("sequence", 1017);
        example.put("type", type.wireName());
        example.put("instanceName", "sales_br");
        example.put("contactId", type.wireName().startsWith("contact.") ? 981 : null);
        example.put("actor", null);
        example.put("occurredAt", "2026-11-28T10:15:30.120Z");
        example.put("data", json.readValue(EXAMPLES.get(type), Map.class));
        return new Operation()
                .operationId(camel + "Webhook")
                .summary("Webhook: " + type.wireName())
                .description(
                        "POSTed to each enabled subscription whose event types include `" + type.wireName()
                                + "` (or that has none). Verify `webhook-signature` before trusting the body (see the README, Webhooks); "
                                + "deduplicate by `webhook-id`, which stays the same on every retry and replay. Answer 2xx within the read "
                                + "timeout; anything else is retried with exponential backoff for 24 hours, in order per contact.")
                .tags(List.of("Webhook events"))
                .parameters(List.of(
                        header(
                                "webhook-id",
                                "The change's stable id (`ChangeEvent.id`): the idempotency key.",
                                "chg_42_1017"),
                        header(
                                "webhook-timestamp",
                                "Seconds since the epoch when this attempt was signed; reject old ones (e.g. over 5 minutes) against replays.",
                                "1795860930"),
                        header(
                                "webhook-signature",
                                "`v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the base64-decoded part of the subscription's `whsec_` secret; several space-separated signatures may be sent.",
                                "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=")))
                .requestBody(new RequestBody()
                        .required(true)
                        .content(new Content()
                                .addMediaType(
                                        "application/json",
                                        new MediaType()
                                                .schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA))
                                                .example(example))))
                .responses(new ApiResponses()
                        .addApiResponse("2XX", new ApiResponse().description("Received: the delivery is done."))
                        .addApiResponse(
                                "default",
                                new ApiResponse()
                                        .description("Any other answer (or none within the timeout) is retried.")));
    }

    private static Parameter header(String name, String description, String example) {
        return new HeaderParameter()
                .name(name)
                .required(true)
                .description(description)
                .schema(new StringSchema())
                .example(example);
    }

    private static String toCamel(String wireName) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : wireName.toCharArray()) {
            if (c == '.' || c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
