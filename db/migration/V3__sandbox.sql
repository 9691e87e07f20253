-- The sandbox engine's simulated phones: how each account is generated, whether it is paired, and the changes a
-- customer injected (kept as the account's change log, so a later re-sync shows them too).
CREATE TABLE sandbox_devices (
    instance_id      bigint      PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
    seed             bigint      NOT NULL,
    contact_count    integer     NOT NULL,
    group_count      integer     NOT NULL,
    scan_requested   boolean     NOT NULL DEFAULT false,
    paired_at        timestamptz,
    delivered_event  bigint      NOT NULL DEFAULT 0
);

CREATE TABLE sandbox_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id  bigint      NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    payload      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sandbox_events_instance_idx ON sandbox_events (instance_id, id);
