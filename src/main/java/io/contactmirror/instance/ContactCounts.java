package io.contactmirror.instance;

import java.util.Collection;
import java.util.Map;

/**
 * How many contacts each instance's mirror holds, as the instances API shows them. The {@code contact} module keeps
 * the counts in its own table and implements this, so the dependency stays {@code contact -> instance}.
 */
public interface ContactCounts {

    /** Contacts (people, not groups) per instance id; an instance the mirror has never counted may be absent. */
    Map<Long, Long> contactsOf(Collection<Long> instanceIds);
}
