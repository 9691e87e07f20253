package io.contactmirror.changelog;

import java.util.Arrays;
import java.util.Optional;

/** What a change record says happened; {@link #wireName()} is the name clients see. */
public enum ChangeType {
    CONTACT_CREATED("contact.created"),
    CONTACT_UPDATED("contact.updated"),
    CONTACT_MERGED("contact.merged"),
    CONTACT_DELETED("contact.deleted"),
    INSTANCE_STATUS_CHANGED("instance.status_changed"),
    INSTANCE_SYNC_COMPLETED("instance.sync_completed");

    private final String wireName;

    ChangeType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ChangeType> fromWireName(String name) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals(name))
                .findFirst();
    }
}
