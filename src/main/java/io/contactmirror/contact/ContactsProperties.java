package io.contactmirror.contact;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the contacts read path.
 *
 * @param recountInterval how often the maintained contact and group counters (the list's {@code total}) are recounted
 *     for instances with writes since the last recount, correcting any drift of the incremental updates
 * @param anchorMaxAge how stale the list-order anchors that serve deep offset pages may get while an instance is being
 *     written before a deep page rebuilds them (one index-only pass over the instance)
 */
@ConfigurationProperties("contactmirror.contacts")
record ContactsProperties(
        @DefaultValue("PT10M") Duration recountInterval,
        @DefaultValue("PT10S") Duration anchorMaxAge) {}
