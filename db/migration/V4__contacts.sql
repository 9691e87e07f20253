-- Trigram search over contacts: pg_trgm for LIKE '%…%' through a GIN index, btree_gin so the same index also
-- narrows by instance.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- One row per person (or group) of an instance's account, keyed by its primary JID: the phone-number JID when
-- known, otherwise the LID. Names come from WhatsApp and are never blanked by a later sync; CRM fields belong to
-- the customer and a sync never touches them.
CREATE TABLE contacts (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id              bigint       NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    jid                      varchar(100) NOT NULL,
    lid                      varchar(100),
    phone                    varchar(20),
    -- The phone in one canonical form (Brazilian mobiles always with the ninth digit), so one person is one row.
    phone_key                varchar(20),
    push_name                varchar(300),
    full_name                varchar(300),
    first_name               varchar(300),
    business_name            varchar(300),
    chat_name                varchar(300),
    is_group                 boolean      NOT NULL DEFAULT false,
    in_address_book          boolean,
    profile_picture_url      varchar(2000),
    profile_picture_id       varchar(100),
    -- Best-known display name and the accent-free, lower-case text that search matches; both computed by the mirror.
    display_name             varchar(300),
    sort_name                varchar(300) COLLATE "C" NOT NULL,
    search_text              text         NOT NULL,
    assigned_user_id         varchar(100),
    assigned_department_id   varchar(100),
    funnel_stage_id          varchar(100),
    funnel_stage_changed_at  timestamptz,
    notes                    text,
    custom_data              jsonb        NOT NULL DEFAULT '{}'::jsonb,
    show_time_in_stage       boolean      NOT NULL DEFAULT false,
    saved_at                 timestamptz,
    version                  bigint       NOT NULL DEFAULT 0,
    created_at               timestamptz  NOT NULL DEFAULT now(),
    updated_at               timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (instance_id, jid)
);

-- Listing order: name, then id (stable, disjoint pages); the partial index serves the default list without groups.
CREATE INDEX contacts_list_idx ON contacts (instance_id, sort_name, id);
CREATE INDEX contacts_list_people_idx ON contacts (instance_id, sort_name, id) WHERE NOT is_group;
CREATE UNIQUE INDEX contacts_phone_key_idx ON contacts (instance_id, phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX contacts_lid_idx ON contacts (instance_id, lid) WHERE lid IS NOT NULL;
-- Search: instance_id = ? AND search_text LIKE '%…%'.
CREATE INDEX contacts_search_idx ON contacts USING gin (instance_id, search_text gin_trgm_ops);

CREATE TABLE chats (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id           bigint       NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    jid                   varchar(100) NOT NULL,
    name                  varchar(300),
    last_message_text     text,
    last_message_at       timestamptz,
    unread_count          integer,
    created_at            timestamptz  NOT NULL DEFAULT now(),
    updated_at            timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (instance_id, jid)
);

-- LID ↔ phone-number JID of one person, as learnt from the account.
CREATE TABLE identity_mappings (
    instance_id  bigint       NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    lid_jid      varchar(100) NOT NULL,
    phone_jid    varchar(100) NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, lid_jid)
);

CREATE INDEX identity_mappings_phone_idx ON identity_mappings (instance_id, phone_jid);

-- Members of a group, so identifiers can be resolved within one group.
CREATE TABLE group_participants (
    instance_id      bigint       NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    group_jid        varchar(100) NOT NULL,
    participant_jid  varchar(100) NOT NULL,
    PRIMARY KEY (instance_id, group_jid, participant_jid)
);
