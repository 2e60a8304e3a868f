-- 022: a pending ledger reservation says when it was last taken and by which attempt, so the server (its clock, not
-- the browser's) decides whether a write is still in flight, and a stale reservation is handed to exactly one resumer
-- by compare-and-set: UPDATE … WHERE reserved_at is older than the in-progress window, attempt = attempt + 1.
ALTER TABLE write_ledger ADD COLUMN reserved_at timestamptz;
UPDATE write_ledger SET reserved_at = created_at;
ALTER TABLE write_ledger ALTER COLUMN reserved_at SET NOT NULL;
ALTER TABLE write_ledger ALTER COLUMN reserved_at SET DEFAULT now();
ALTER TABLE write_ledger ADD COLUMN attempt integer NOT NULL DEFAULT 1 CHECK (attempt > 0);
