-- Webhook subscriptions of tenants and their outbox: a dispatcher copies each subscription's changes from the change
-- log into webhook_deliveries (tracking its position per subscription and instance in webhook_cursors), and every
-- replica claims due deliveries with FOR UPDATE SKIP LOCKED under a lease.
CREATE TABLE webhook_subscriptions (
    id               uuid          PRIMARY KEY,
    tenant_id        uuid          NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    url              varchar(2000) NOT NULL,
    -- Wire names of the change types to deliver; empty means all.
    event_types      text[]        NOT NULL DEFAULT '{}',
    -- Only this instance's changes; NULL means every instance of the tenant.
    instance_id      bigint        REFERENCES instances (id) ON DELETE CASCADE,
    description      varchar(200),
    enabled          boolean       NOT NULL DEFAULT true,
    disabled_reason  varchar(1000),
    disabled_at      timestamptz,
    -- The signing secret, AES-GCM encrypted with the key named by secret_key_id (the session-encryption key).
    secret_key_id    varchar(16)   NOT NULL,
    secret           bytea         NOT NULL,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now()
);

-- Listing a tenant's subscriptions.
CREATE INDEX webhook_subscriptions_tenant_idx ON webhook_subscriptions (tenant_id, created_at, id);

-- The dispatcher's position in each instance's change log, per subscription.
CREATE TABLE webhook_cursors (
    subscription_id  uuid    NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    instance_id      bigint  NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    last_seq         bigint  NOT NULL,
    PRIMARY KEY (subscription_id, instance_id)
);

CREATE TABLE webhook_deliveries (
    id               bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id  uuid          NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    instance_id      bigint        NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    seq              bigint        NOT NULL,
    event_id         varchar(60)   NOT NULL,
    event_type       varchar(40)   NOT NULL,
    contact_id       bigint,
    -- Deliveries of one ordering group (a contact, or 0 for instance events) go out in seq order.
    order_key        bigint        NOT NULL,
    -- The exact body sent (the change as clients receive it), kept so retries and replays send the same bytes.
    payload          text          NOT NULL,
    status           varchar(20)   NOT NULL,
    attempts         integer       NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz   NOT NULL DEFAULT now(),
    first_attempt_at timestamptz,
    last_attempt_at  timestamptz,
    -- A replica's claim: until claimed_until no other replica takes the row; claim_token fences a late completion.
    claimed_until    timestamptz,
    claim_token      uuid,
    last_status_code integer,
    last_error       varchar(1000),
    delivered_at     timestamptz,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (subscription_id, instance_id, seq)
);

-- Claiming due deliveries.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
-- "Is an earlier delivery of this contact still pending?" (per-contact order).
CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (subscription_id, instance_id, order_key, seq)
    WHERE status <> 'DELIVERED';
-- The delivery log of a subscription, newest first.
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (subscription_id, id DESC);
