-- The list without groups, covering: a search or updatedSince filter walks this index in list order and tests each
-- entry without visiting the table (≈ 0.3 µs per entry), so a page of a filter that matches densely costs a few
-- thousand index entries. It replaces the non-covering partial index of V4 (same key, same write cost).
CREATE INDEX contacts_walk_people_idx ON contacts (instance_id, sort_name, id) INCLUDE (search_text, updated_at)
    WHERE NOT is_group;
DROP INDEX contacts_list_people_idx;

-- updatedSince: the rows changed since a time, when they are few; also how the counter recount finds instances with
-- recent writes.
CREATE INDEX contacts_updated_idx ON contacts (instance_id, updated_at);
