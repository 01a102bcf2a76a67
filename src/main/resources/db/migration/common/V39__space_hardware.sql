-- The hardware a Space's writers asked for (null: the hub's first --spaces-hardware); one the hub no longer offers
-- falls back to that default too.
ALTER TABLE space_controls ADD COLUMN hardware VARCHAR(64);
