-- Writing a change must not lock the instance row: the foreign-key check of an INSERT INTO changes takes KEY SHARE
-- on the instances row, while a status write holds that row and waits for the change sequence a CRM edit holds,
-- a deadlock seen under a database restart. The log rows of a deleted instance are removed by the instance purge.
ALTER TABLE changes DROP CONSTRAINT changes_instance_id_fkey;
ALTER TABLE change_sequences DROP CONSTRAINT change_sequences_instance_id_fkey;
