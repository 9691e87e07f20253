package io.contactmirror.contact;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stored contact (the WhatsApp side, written in bulk by the mirror in SQL, and the CRM fields, edited through this
 * entity under optimistic locking on {@code version}), with its chat attached for reading.
 *
 * <p>The mapped fields are package-private rather than private: Hibernate then reads and writes them through an
 * accessor class it generates in this package, where private fields leave it to reflection (HHH000513, "private
 * accessor"), which took about 6 % of the server's CPU per page of contacts.
 */
@Entity
@DynamicUpdate
@Table(name = "contacts")
public class Contact {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Id
    long id;

    @Column(updatable = false)
    long instanceId;

    @Column(updatable = false)
    String jid;

    @Column(updatable = false)
    @Nullable
    String lid;

    @Column(updatable = false)
    @Nullable
    String phone;

    @Column(updatable = false)
    @Nullable
    String pushName;

    @Column(updatable = false)
    @Nullable
    String fullName;

    @Column(updatable = false)
    @Nullable
    String firstName;

    @Column(updatable = false)
    @Nullable
    String businessName;

    @Column(updatable = false)
    @Nullable
    String displayName;

    @Column(updatable = false)
    String sortName;

    @Column(name = "is_group", updatable = false)
    boolean group;

    @Column(updatable = false)
    @Nullable
    String profilePictureUrl;

    @Column(updatable = false)
    @Nullable
    String profilePictureId;

    @Nullable
    String assignedUserId;

    @Nullable
    Instant assignedUserChangedAt;

    @Nullable
    String assignedDepartmentId;

    @Nullable
    Instant assignedDepartmentChangedAt;

    @Nullable
    String funnelStageId;

    @Nullable
    Instant funnelStageChangedAt;

    @Nullable
    String notes;

    @Nullable
    Instant notesChangedAt;

    /** Kept as text and parsed on first use: listing and exports never need most contacts' custom data. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "custom_data")
    String customDataJson;

    @Nullable
    Instant customDataChangedAt;

    boolean showTimeInStage;

    @Nullable
    Instant showTimeInStageChangedAt;

    @Nullable
    Instant savedAt;

    @Version
    long version;

    @Column(updatable = false)
    Instant createdAt;

    Instant updatedAt;

    @Transient
    private @Nullable JsonNode customData;

    @Transient
    private @Nullable Chat chat;

    protected Contact() {}

    public long id() {
        return id;
    }

    public long instanceId() {
        return instanceId;
    }

    public String jid() {
        return jid;
    }

    public @Nullable String lid() {
        return lid;
    }

    public @Nullable String phone() {
        return phone;
    }

    public @Nullable String pushName() {
        return pushName;
    }

    public @Nullable String fullName() {
        return fullName;
    }

    public @Nullable String firstName() {
        return firstName;
    }

    public @Nullable String businessName() {
        return businessName;
    }

    public @Nullable String displayName() {
        return displayName;
    }

    public String sortName() {
        return sortName;
    }

    public boolean group() {
        return group;
    }

    public @Nullable String profilePictureUrl() {
        return profilePictureUrl;
    }

    public @Nullable String profilePictureId() {
        return profilePictureId;
    }

    public @Nullable String assignedUserId() {
        return assignedUserId;
    }

    public @Nullable String assignedDepartmentId() {
        return assignedDepartmentId;
    }

    public @Nullable String funnelStageId() {
        return funnelStageId;
    }

    public @Nullable Instant funnelStageChangedAt() {
        return funnelStageChangedAt;
    }

    public @Nullable String notes() {
        return notes;
    }

    public JsonNode customData() {
        if (customData == null) {
            // Most contacts have none: a page of them would otherwise run a JSON parser per row for "{}".
            customData = customDataJson == null || customDataJson.equals("{}")
                    ? JSON.createObjectNode()
                    : JSON.readTree(customDataJson);
        }
        return customData;
    }

    public boolean showTimeInStage() {
        return showTimeInStage;
    }

    public long version() {
        return version;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public @Nullable Chat chat() {
        return chat;
    }

    void attach(@Nullable Chat chat) {
        this.chat = chat;
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    /** The (name, id) position of this contact in the list order, which cursors continue from. */
    ContactCursor.Position position() {
        return new ContactCursor.Position(sortName, id);
    }

    /**
     * Sets one CRM field if its value differs, stamping the field's change time (a merge keeps the most recently
     * changed value per field); answers whether it changed.
     */
    boolean setCrm(CrmField field, @Nullable Object value, Instant now) {
        Object old = field.get(this);
        if (Objects.equals(old, value)) {
            return false;
        }
        switch (field) {
            case ASSIGNED_USER -> {
                assignedUserId = (String) value;
                assignedUserChangedAt = now;
            }
            case ASSIGNED_DEPARTMENT -> {
                assignedDepartmentId = (String) value;
                assignedDepartmentChangedAt = now;
            }
            case FUNNEL_STAGE -> {
                funnelStageId = (String) value;
                funnelStageChangedAt = now;
            }
            case NOTES -> {
                notes = (String) value;
                notesChangedAt = now;
            }
            case CUSTOM_DATA -> {
                customData = (JsonNode) value;
                customDataJson = JSON.writeValueAsString(value);
                customDataChangedAt = now;
            }
            case SHOW_TIME_IN_STAGE -> {
                showTimeInStage = Boolean.TRUE.equals(value);
                showTimeInStageChangedAt = now;
            }
        }
        return true;
    }

    /** Marks an edited contact as a saved CRM contact and stamps the edit. */
    void touched(Instant now) {
        if (savedAt == null) {
            savedAt = now;
        }
        updatedAt = now;
    }

    /** The CRM fields the API edits, by their JSON names. */
    enum CrmField {
        ASSIGNED_USER("assignedUserId"),
        ASSIGNED_DEPARTMENT("assignedDepartmentId"),
        FUNNEL_STAGE("funnelStageId"),
        NOTES("notes"),
        CUSTOM_DATA("customData"),
        SHOW_TIME_IN_STAGE("showTimeInStage");

        private final String jsonName;

        CrmField(String jsonName) {
            this.jsonName = jsonName;
        }

        String jsonName() {
            return jsonName;
        }

        @Nullable
        Object get(Contact contact) {
            return switch (this) {
                case ASSIGNED_USER -> contact.assignedUserId;
                case ASSIGNED_DEPARTMENT -> contact.assignedDepartmentId;
                case FUNNEL_STAGE -> contact.funnelStageId;
                case NOTES -> contact.notes;
                case CUSTOM_DATA -> contact.customData();
                case SHOW_TIME_IN_STAGE -> contact.showTimeInStage;
            };
        }
    }
}
