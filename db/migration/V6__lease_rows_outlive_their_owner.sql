-- A released lease keeps its row with no owner, so its epoch keeps growing across acquisitions and a fence of an
-- earlier holder can never match again.
ALTER TABLE instance_leases ALTER COLUMN owner_id DROP NOT NULL;
