-- Tenancy: every row of the product hangs off a tenant.
CREATE TABLE tenants (
    id          uuid         PRIMARY KEY,
    slug        varchar(63)  NOT NULL UNIQUE,
    name        varchar(200) NOT NULL,
    status      varchar(16)  NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
    created_at  timestamptz  NOT NULL
);

CREATE TABLE users (
    id            uuid         PRIMARY KEY,
    tenant_id     uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email         varchar(320) NOT NULL,
    display_name  varchar(200),
    role          varchar(16)  NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER')),
    created_at    timestamptz  NOT NULL,
    UNIQUE (tenant_id, email)
);

-- Only the SHA-256 of a token's secret is stored; authentication looks tokens up by that hash.
CREATE TABLE api_tokens (
    id            uuid         PRIMARY KEY,
    tenant_id     uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id       uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance_id   bigint,
    label         varchar(200) NOT NULL,
    scopes        text[]       NOT NULL,
    token_hash    bytea        NOT NULL UNIQUE,
    created_at    timestamptz  NOT NULL,
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz
);

CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id, created_at);
