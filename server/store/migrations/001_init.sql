-- 001: payer mappings, audit log, billing worklist, write-back ledger.
-- Applied by server/store/migrate.ts inside one transaction under an advisory lock.

CREATE TABLE payer_mappings (
  id               text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
  version          integer NOT NULL CHECK (version > 0),
  priority         integer NOT NULL CHECK (priority >= 0),
  enabled          boolean NOT NULL,
  match            jsonb   NOT NULL,
  policy_id        text    NOT NULL CHECK (length(policy_id) > 0),
  line_of_business text    NOT NULL CHECK (line_of_business IN
                     ('commercial', 'chip', 'medicaid', 'medicare-advantage', 'medicare', 'unknown')),
  options          jsonb,
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One row; its counter moves with every committed change to payer_mappings, so every app
-- instance can check "did the mappings change?" with one tiny read per evaluation.
CREATE TABLE mapping_state (
  id           integer PRIMARY KEY CHECK (id = 1),
  change_count bigint NOT NULL
);
INSERT INTO mapping_state (id, change_count) VALUES (1, 0);

CREATE FUNCTION bump_mapping_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE mapping_state SET change_count = change_count + 1 WHERE id = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER payer_mappings_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON payer_mappings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_mapping_state();

-- Audit: ids and codes only; never names, birth dates or notes.
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text,
  patient_id   text,
  resource_ids jsonb,
  codes        jsonb,
  before       jsonb,
  after        jsonb
);
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id DESC);

-- Claim drafts the clinician confirmed: the billing team's worklist.
CREATE TABLE worklist (
  visit_key                 text PRIMARY KEY,
  launch_id                 text NOT NULL,
  patient_id                text NOT NULL,
  service_date              text,
  claim                     jsonb NOT NULL,
  status                    text NOT NULL CHECK (status IN ('draft', 'exported', 'written-to-ehr')),
  ehr_claim_id              text,
  ehr_document_reference_id text,
  codes                     jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  created_by                text NOT NULL
);
CREATE INDEX worklist_status_idx ON worklist (status, updated_at DESC);

-- Idempotent write-back: one row per (visit, resource kind, EHR). The primary key makes a
-- retry (or a concurrent double click) find the existing reservation instead of a second "new".
CREATE TABLE write_ledger (
  visit_key     text NOT NULL,
  resource_kind text NOT NULL CHECK (resource_kind IN ('claim', 'documentReference')),
  ehr_base      text NOT NULL,
  state         text NOT NULL CHECK (state IN ('pending', 'done')),
  resource_id   text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (visit_key, resource_kind, ehr_base)
);
