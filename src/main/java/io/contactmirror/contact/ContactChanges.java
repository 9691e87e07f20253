package io.contactmirror.contact;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The data of the change records the contacts API writes, in the change log's shapes (field names as in the API). */
final class ContactChanges {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ContactChanges() {}

    /** {@code contact.created}'s contact: who the new row is. */
    static ObjectNode created(Contact contact) {
        ObjectNode node = NODES.objectNode();
        node.put("id", contact.id());
        node.put("jid", contact.jid());
        node.put("lid", contact.lid());
        node.put("phone", contact.phone());
        node.put("name", ContactView.of(contact).name());
        node.put("pushName", contact.pushName());
        node.put("fullName", contact.fullName());
        node.put("firstName", contact.firstName());
        node.put("businessName", contact.businessName());
        node.put("isGroup", contact.group());
        return node;
    }

    /**
     * Applies the fields a patch names to the contact and returns {@code contact.updated}'s changes: old and new value
     * of each field that really changed (empty when none did).
     */
    static ObjectNode apply(Contact contact, CrmEdits.CrmPatch patch, Instant now) {
        ObjectNode changes = NODES.objectNode();
        for (Contact.CrmField field : Contact.CrmField.values()) {
            if (!patch.present().contains(field.jsonName())) {
                continue;
            }
            Object old = field.get(contact);
            Object value = switch (field) {
                case ASSIGNED_USER -> patch.assignedUserId();
                case ASSIGNED_DEPARTMENT -> patch.assignedDepartmentId();
                case FUNNEL_STAGE -> patch.funnelStageId();
                case NOTES -> patch.notes();
                case CUSTOM_DATA -> CrmEdits.mergePatch(contact.customData(), patch.customData());
                case SHOW_TIME_IN_STAGE -> patch.showTimeInStage() == null ? Boolean.FALSE : patch.showTimeInStage();
            };
            if (contact.setCrm(field, value, now)) {
                ObjectNode change = changes.putObject(field.jsonName());
                change.set("old", node(old));
                change.set("new", node(value));
            }
        }
        if (!changes.isEmpty()) {
            contact.touched(now);
        }
        return changes;
    }

    private static JsonNode node(@Nullable Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case JsonNode json -> json;
            case Boolean flag -> NODES.booleanNode(flag);
            default -> NODES.stringNode(value.toString());
        };
    }
}
