-- The mirror's running counts of an instance's contacts (the list's total) leave the instances row for a table only the
-- contact module writes: each table has one writing module, and a mirror batch no longer updates the instances row
-- that status writes lock (SELECT ... FOR UPDATE), so the two wait for each other no more.
-- No foreign key to instances, for the reason of V15: its check on insert would take KEY SHARE on the instances row
-- under the mirror's write path. The row of a deleted instance is removed by the instance purge.
CREATE TABLE contact_counts (
    instance_id     bigint PRIMARY KEY,
    contacts_count  bigint NOT NULL DEFAULT 0 CHECK (contacts_count >= 0),
    groups_count    bigint NOT NULL DEFAULT 0 CHECK (groups_count >= 0)
);

INSERT INTO contact_counts (instance_id, contacts_count, groups_count)
SELECT id, contacts_count, groups_count FROM instances;

ALTER TABLE instances DROP COLUMN contacts_count, DROP COLUMN groups_count;
