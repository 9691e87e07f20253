-- The ordered change log of every instance: what the mirror and the API changed, for catch-up reads, webhooks and
-- the live stream. Sequences are handed out per instance from change_sequences; the row stays locked until the
-- writer commits, so sequences become visible in commit order and a reader never sees a smaller one appear later.
CREATE TABLE change_sequences (
    instance_id     bigint PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
    last_seq        bigint NOT NULL DEFAULT 0,
    -- Retention removed every change with seq <= pruned_through; a cursor before it has expired.
    pruned_through  bigint NOT NULL DEFAULT 0
);

CREATE TABLE changes (
    instance_id  bigint       NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    seq          bigint       NOT NULL,
    type         varchar(40)  NOT NULL,
    contact_id   bigint,
    data         jsonb        NOT NULL,
    -- The token's user for API edits; NULL for the mirror.
    actor        varchar(100),
    created_at   timestamptz  NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (instance_id, seq)
);

-- Retention deletes by age.
CREATE INDEX changes_created_at_idx ON changes (created_at);
