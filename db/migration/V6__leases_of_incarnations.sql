-- A released lease keeps its row with no owner, so its epoch keeps growing across acquisitions and a fence of an
-- earlier holder can never match again.
ALTER TABLE instance_leases ALTER COLUMN owner_id DROP NOT NULL;

-- Owners are process incarnations: the replica id (a pod name, up to 63 characters) plus a random part per start.
ALTER TABLE instance_leases ALTER COLUMN owner_id TYPE varchar(100);
ALTER TABLE replicas ALTER COLUMN id TYPE varchar(100);

-- The last disconnect stays visible after a reconnect, with its time.
ALTER TABLE instances ADD COLUMN last_disconnect_at timestamptz;

-- Since when an incarnation has reached the database without interruption: only a steadily connected replica takes
-- over expired leases, so after an outage every owner first gets the chance to reclaim its own.
ALTER TABLE replicas ADD COLUMN up_since timestamptz NOT NULL DEFAULT now();
