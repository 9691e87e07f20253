-- A token created by another token records its parent, so revoking the parent revokes the whole line below it.
-- A token's purpose separates Green API path tokens (read-only, bound to one instance, accepted only as the last
-- segment of /waInstance{id}/getContacts/{token}) from ordinary API tokens (accepted only in headers).
ALTER TABLE api_tokens
    ADD COLUMN parent_token_id uuid REFERENCES api_tokens (id) ON DELETE CASCADE,
    ADD COLUMN purpose varchar(16) NOT NULL DEFAULT 'API' CHECK (purpose IN ('API', 'GREEN_API_PATH'));

CREATE INDEX api_tokens_parent_idx ON api_tokens (parent_token_id) WHERE parent_token_id IS NOT NULL;
