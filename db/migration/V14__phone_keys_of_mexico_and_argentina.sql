-- Phone keys gained two legacy forms (connection/Jid.phoneKey): Mexico's 52 1 + 10 digits is keyed as 52 + 10 digits,
-- Argentina's 54 + 10 digits as 54 9 + 10 digits. Rows stored before keep their old key until recomputed here.
--
-- A row is re-keyed only where no row of the same instance already holds the new key: an instance that mirrored one
-- person under both forms has two rows (contacts_phone_key_idx is unique per instance), and which of them holds the
-- CRM data is not for a migration to decide. Such a pair keeps its keys; the row with the old key is no longer found
-- by the phone key (it still is by its JID), and the next sync updates the row with the new key.
-- Keys a statement gives and keys it changes never overlap (Mexico: 13 digits become 12; Argentina: 12 become 13),
-- so no row collides with a key another row of the same statement receives.

UPDATE contacts c
   SET phone_key = '52' || substr(c.phone_key, 4)
 WHERE c.phone_key ~ '^521[0-9]{10}$'
   AND NOT EXISTS (SELECT 1 FROM contacts o
                    WHERE o.instance_id = c.instance_id AND o.phone_key = '52' || substr(c.phone_key, 4));

UPDATE contacts c
   SET phone_key = '549' || substr(c.phone_key, 3)
 WHERE c.phone_key ~ '^54[0-8][0-9]{9}$'
   AND NOT EXISTS (SELECT 1 FROM contacts o
                    WHERE o.instance_id = c.instance_id AND o.phone_key = '549' || substr(c.phone_key, 3));
