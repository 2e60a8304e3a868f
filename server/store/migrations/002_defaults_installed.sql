-- 002: remember that the default payer mappings were installed, so an administrator who deliberately removes
-- every mapping does not get the defaults back at the next start. A store that already holds mappings was
-- seeded (or filled by an admin) before this flag existed.
ALTER TABLE mapping_state ADD COLUMN defaults_installed boolean NOT NULL DEFAULT false;
UPDATE mapping_state SET defaults_installed = EXISTS (SELECT 1 FROM payer_mappings) WHERE id = 1;
