-- A new instance row starts created and stopped without its creator naming either state: the connection module
-- writes every state column of the row (what the API asks for included), the instance module only creates and names
-- rows.
ALTER TABLE instances ALTER COLUMN status SET DEFAULT 'CREATED';
ALTER TABLE instances ALTER COLUMN desired_state SET DEFAULT 'STOPPED';
