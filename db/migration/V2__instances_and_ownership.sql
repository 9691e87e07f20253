-- An instance is one paired WhatsApp device of a tenant. Its row carries the connection state every
-- replica and the API read, and what the owning replica needs to (re)open the session.
CREATE TABLE instances (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id               uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    instance_name           varchar(40)  NOT NULL,
    display_name            varchar(200) NOT NULL,
    api_instance_name       varchar(100) NOT NULL UNIQUE,
    engine                  varchar(16)  NOT NULL CHECK (engine IN ('WHATSAPP', 'SANDBOX')),
    status                  varchar(16)  NOT NULL,
    -- What the API asked for; the replica owning the session carries it out. RUNNING: keep a live session;
    -- STOPPED: close it, keep credentials; LOGGED_OUT: unlink the device; DELETED: unlink, then drop the row.
    desired_state           varchar(16)  NOT NULL CHECK (desired_state IN ('RUNNING', 'STOPPED', 'LOGGED_OUT', 'DELETED')),
    pairing_phone           varchar(20),
    qr_payload              text,
    qr_expires_at           timestamptz,
    pairing_code            varchar(16),
    phone_jid               varchar(100),
    lid_jid                 varchar(100),
    push_name               varchar(200),
    last_connected_at       timestamptz,
    last_disconnect_reason  varchar(32),
    last_disconnect_detail  varchar(500),
    reconnect_attempts      integer      NOT NULL DEFAULT 0,
    sync_state              varchar(16)  NOT NULL DEFAULT 'IDLE' CHECK (sync_state IN ('IDLE', 'SYNCING', 'SYNCED')),
    contacts_synced_at      timestamptz,
    -- Rows of the instance in contacts, kept by the mirror (recounted when a sync completes) so listing
    -- needs no count(*) over a million rows.
    contacts_count          bigint       NOT NULL DEFAULT 0,
    groups_count            bigint       NOT NULL DEFAULT 0,
    created_at              timestamptz  NOT NULL,
    updated_at              timestamptz  NOT NULL,
    UNIQUE (tenant_id, instance_name)
);

CREATE INDEX instances_desired_idx ON instances (desired_state) WHERE desired_state <> 'STOPPED';

ALTER TABLE api_tokens
    ADD CONSTRAINT api_tokens_instance_fk FOREIGN KEY (instance_id) REFERENCES instances (id) ON DELETE CASCADE;

-- Live replicas, so new instances go to the least-loaded one and a replica's absence is noticed.
CREATE TABLE replicas (
    id            varchar(64) PRIMARY KEY,
    started_at    timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL,
    draining      boolean     NOT NULL DEFAULT false
);

-- Who holds the one live session of an instance. A lease is renewed by its owner's heartbeat; once expired,
-- any replica may take it over, bumping the fencing epoch.
CREATE TABLE instance_leases (
    instance_id  bigint      PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
    owner_id     varchar(64) NOT NULL,
    epoch        bigint      NOT NULL,
    acquired_at  timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);

CREATE INDEX instance_leases_owner_idx ON instance_leases (owner_id);
