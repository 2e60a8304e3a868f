-- 020: payer mappings get a human name ("U of U Health Plans — Medicaid (Healthy U)") that the admin screens,
-- the audit log and the clinician's tie notice show instead of the id. Optional: older rows keep none.
-- (Numbered 020, not 003, so it never collides with migrations other branches add in the meantime.)
ALTER TABLE payer_mappings ADD COLUMN IF NOT EXISTS name text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 120);
