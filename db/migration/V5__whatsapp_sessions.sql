-- Credentials of paired WhatsApp Web sessions (Cobalt's keys and store, and the chats its store format leaves
-- out), encrypted with AES-GCM by the application. Kept in PostgreSQL so any replica can resume a session.
CREATE TABLE whatsapp_sessions (
    instance_id   bigint      PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
    session_uuid  uuid        NOT NULL UNIQUE,
    -- Which configured key encrypted the blobs (first bytes of its SHA-256), so rotation can find the old one.
    key_id        varchar(16),
    keys          bytea,
    store         bytea,
    chats         bytea,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
