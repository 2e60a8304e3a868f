-- 003: one visit, one claim (issue #9, #10.1, #10.4).
-- A visit is patient + service date (+ encounter) on one EHR; its key is an HMAC under a secret kept here, so the
-- identifiers written to the EHR are not guessable. Every draft is a version (author, time) — never an overwrite.

CREATE TABLE app_secret (
  id     integer PRIMARY KEY CHECK (id = 1),
  secret text NOT NULL CHECK (length(secret) >= 32)
);

CREATE TABLE visits (
  visit_key    text PRIMARY KEY,
  ehr_base     text NOT NULL,
  patient_id   text NOT NULL,
  service_date text NOT NULL,
  encounter_id text,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Who may take ledger steps on a visit: a signed-in user (iss + sub) whose launch the EHR let read the patient.
CREATE TABLE visit_grants (
  visit_key  text NOT NULL REFERENCES visits (visit_key) ON DELETE CASCADE,
  iss        text NOT NULL,
  sub        text NOT NULL,
  fhir_user  text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (visit_key, iss, sub)
);

CREATE TABLE visit_versions (
  visit_key                 text NOT NULL REFERENCES visits (visit_key) ON DELETE CASCADE,
  version                   integer NOT NULL CHECK (version > 0),
  state                     text NOT NULL CHECK (state IN ('drafted', 'written', 'note-failed', 'superseded')),
  vendor                    text NOT NULL,
  drafts                    jsonb NOT NULL,
  codes                     jsonb NOT NULL,
  claim_to_ehr              boolean NOT NULL,
  supersedes_version        integer,
  supersede_done            boolean NOT NULL DEFAULT false,
  created_by                text NOT NULL,
  author_display            text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  written_at                timestamptz,
  ehr_document_reference_id text,
  ehr_claim_id              text,
  -- shown to billing users on the worklist row; never logged or audited
  payer                     text,
  patient_name              text,
  patient_mrn               text,
  PRIMARY KEY (visit_key, version)
);

-- The worklist row is the visit's current (written) version; every version stays in visit_versions.
ALTER TABLE worklist DROP CONSTRAINT IF EXISTS worklist_status_check;
ALTER TABLE worklist ADD CONSTRAINT worklist_status_check
  CHECK (status IN ('draft', 'exported', 'written-to-ehr', 'note-failed'));
ALTER TABLE worklist ADD COLUMN current_version integer;
ALTER TABLE worklist ADD COLUMN version_count integer NOT NULL DEFAULT 1;
ALTER TABLE worklist ADD COLUMN exported_version integer;
ALTER TABLE worklist ADD COLUMN note_status text;
ALTER TABLE worklist ADD COLUMN payer text;
ALTER TABLE worklist ADD COLUMN patient_name text;
ALTER TABLE worklist ADD COLUMN patient_mrn text;
ALTER TABLE worklist ADD COLUMN ehr_base text;
CREATE INDEX worklist_updated_idx ON worklist (updated_at DESC, visit_key);

-- The ledger now holds one entry per version of a visit.
ALTER TABLE write_ledger ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE write_ledger DROP CONSTRAINT write_ledger_pkey;
ALTER TABLE write_ledger ADD PRIMARY KEY (visit_key, resource_kind, ehr_base, version);

-- Provenance is written (where the EHR accepts it) once per version, through the ledger like the others.
ALTER TABLE write_ledger DROP CONSTRAINT IF EXISTS write_ledger_resource_kind_check;
ALTER TABLE write_ledger ADD CONSTRAINT write_ledger_resource_kind_check
  CHECK (resource_kind IN ('claim', 'documentReference', 'provenance'));
