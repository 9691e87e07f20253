package io.contactmirror.feed;

import io.contactmirror.changelog.ChangeLog;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Turns what a client sends as its position ({@code after}, {@code Last-Event-ID}) into a checked sequence. */
@Component
class FeedPositions {

    static final String NOW = "now";

    private final ChangeLog changeLog;

    FeedPositions(ChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    /**
     * The sequence to read after. {@code now} is the newest committed change; no position at all means
     * {@code fromStart}: the oldest change still kept (catch-up) or now (live stream).
     */
    long resolve(long instanceId, @Nullable String position, String field, boolean fromStart) {
        if (position == null || position.isBlank()) {
            return fromStart ? changeLog.prunedThrough(instanceId) : changeLog.latestCommitted(instanceId);
        }
        if (position.strip().equalsIgnoreCase(NOW)) {
            return changeLog.latestCommitted(instanceId);
        }
        Cursor cursor = Cursor.decode(position, instanceId, field);
        if (cursor.seq() > changeLog.lastSequence(instanceId)) {
            throw ApiException.invalid(
                    field, "is ahead of this instance's change log; pass a cursor exactly as received");
        }
        long prunedThrough = changeLog.prunedThrough(instanceId);
        if (cursor.seq() < prunedThrough) {
            throw expired(prunedThrough);
        }
        return cursor.seq();
    }

    static ApiException expired(long prunedThrough) {
        return new ApiException(
                ErrorCode.CURSOR_EXPIRED,
                "The cursor is older than the change log's retention (changes up to " + prunedThrough
                        + " were removed); read the contact list again and start from a new cursor (after=now)");
    }
}
