-- When the mirror merges two rows of one person (a LID row into the phone-number row), the merged-away id stays
-- resolvable: reads and CRM edits of old_id answer with survivor_id. merged_row keeps the deleted row as it was at
-- the merge (its CRM values included), so a value the merge policy did not keep can still be recovered.
-- No foreign key on the contact ids: old_id no longer exists, and survivors are only deleted with their instance.
CREATE TABLE contact_aliases (
    old_id       bigint       PRIMARY KEY,
    instance_id  bigint       NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    survivor_id  bigint       NOT NULL,
    merged_row   jsonb        NOT NULL,
    merged_at    timestamptz  NOT NULL DEFAULT now()
);

-- Re-pointing aliases when a survivor is itself merged away.
CREATE INDEX contact_aliases_survivor_idx ON contact_aliases (survivor_id);

-- When each CRM field last changed through the API (funnel_stage_changed_at already exists), so a merge keeps the
-- most recently changed value per field. NULL: not changed since this column exists.
ALTER TABLE contacts
    ADD COLUMN assigned_user_changed_at        timestamptz,
    ADD COLUMN assigned_department_changed_at  timestamptz,
    ADD COLUMN notes_changed_at                timestamptz,
    ADD COLUMN custom_data_changed_at          timestamptz,
    ADD COLUMN show_time_in_stage_changed_at   timestamptz;

-- Deep merge of two JSON objects: keys of both are kept, nested objects merge key by key, and on any other
-- conflict the newer value wins. Not SQL-language because it calls itself.
CREATE FUNCTION jsonb_deep_merge(older jsonb, newer jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE AS
$$
BEGIN
    IF older IS NULL THEN
        RETURN newer;
    END IF;
    IF newer IS NULL THEN
        RETURN older;
    END IF;
    IF jsonb_typeof(older) <> 'object' OR jsonb_typeof(newer) <> 'object' THEN
        RETURN newer;
    END IF;
    RETURN (SELECT coalesce(jsonb_object_agg(key, jsonb_deep_merge(o.value, n.value)), '{}'::jsonb)
            FROM jsonb_each(older) o FULL JOIN jsonb_each(newer) n USING (key));
END
$$;
