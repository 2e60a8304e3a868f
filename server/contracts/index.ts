/**
 * The contracts shared by server, client and CLI (DESIGN.md "Contracts").
 * zod schemas are the source of truth; the TypeScript types are inferred from them.
 * Names follow DESIGN.md exactly; added fields are marked "added".
 */
import { z } from 'zod';
import { MAX_DRUG_AMOUNT } from './plain.js';
import { realDate, safeLine, safeText } from './safe.js';

export * from './safe.js';

export const LineOfBusiness = z.enum(['commercial', 'chip', 'medicaid', 'medicare-advantage', 'medicare', 'unknown']);
export type LineOfBusiness = z.infer<typeof LineOfBusiness>;

export const DeviceKind = z.enum([
  'implanted-programmable-pump', 'implanted-nonprogrammable-pump', 'implanted-reservoir',
  'external-disposable-pump', 'unknown',
]);
export type DeviceKind = z.infer<typeof DeviceKind>;

export const Route = z.enum(['intrathecal', 'epidural', 'intraventricular', 'intravenous', 'intra-arterial', 'unknown']);
export type Route = z.infer<typeof Route>;

/** settings-update-only = refill date, contents, alarms (no change of rate or dose). */
export const Reprogramming = z.enum(['none', 'rate-or-dose-change', 'settings-update-only']);
export type Reprogramming = z.infer<typeof Reprogramming>;

export const PerformerRole = z.enum([
  'physician', 'nurse-practitioner', 'physician-assistant', 'clinical-nurse-specialist',
  'registered-nurse', 'medical-assistant', 'other',
]);
export type PerformerRole = z.infer<typeof PerformerRole>;

export const PolicyId = z.enum(['uuhp', 'icare-ma', 'centene-cp-mp-173', 'cms-medicare', 'cpt-default']);
export type PolicyId = z.infer<typeof PolicyId>;

const isoDate = realDate();
const usState = z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter US state code');
const code = safeLine(20).min(1);


export const Drug = z.object({
  name: safeLine(200).min(1),
  hcpcs: code.optional(),
  amount: z.number().finite().nonnegative().max(MAX_DRUG_AMOUNT),
  unit: z.enum(['mg', 'mcg', 'mL']),
  compounded: z.boolean(),
  purchasedBy: z.enum(['practice', 'pharmacy', 'patient', 'unknown']),
  wastedAmount: z.number().finite().nonnegative().max(MAX_DRUG_AMOUNT).optional(),
  singleDoseContainer: z.boolean().optional(),
  /** added: strength of the product, amount per perMl mL (Medication.ingredient.strength or "25 mg/mL"), so a dose in mL converts */
  concentration: z.object({
    amount: z.number().finite().positive().max(MAX_DRUG_AMOUNT),
    unit: z.enum(['mg', 'mcg']),
    perMl: z.number().finite().positive(),
  }).optional(),
  /** added: National Drug Code of the product given (claim note for NOC codes) */
  ndc: z.string().min(1).max(20).optional(),
  /** added: ingredient names (a compounded mixture, or a product's active ingredient) */
  ingredients: z.array(z.string().min(1).max(100)).max(10).optional(),
  /** added: an intrathecal screening (trial) bolus rather than a pump refill (baclofen → J0476) */
  trial: z.boolean().optional(),
});
export type Drug = z.infer<typeof Drug>;

export const ProposedCode = z.object({
  code,
  modifiers: z.array(safeLine(4).min(1)).max(4).optional(),
  /** whole numbers are expected; a fractional number (e.g. 14.5 from a charge) is accepted and warned about */
  units: z.number().finite().positive().max(100_000).optional(),
});
export type ProposedCode = z.infer<typeof ProposedCode>;

export const VisitFacts = z.object({
  serviceDate: isoDate,
  placeOfService: z.string().regex(/^\d{2}$/).optional(),
  patient: z.object({ id: safeLine(128).optional(), state: usState.optional() }),
  serviceState: usState.optional(),
  coverage: z.object({
    payerName: safeLine(200).optional(),
    payerId: safeLine(100).optional(),
    /** added: the system of payerId (e.g. NAIC urn:oid:2.16.840.1.113883.6.300), for mapping matches */
    payerIdSystem: safeLine(200).optional(),
    planName: safeLine(200).optional(),
    /** added: Coverage.type codes (Source of Payment Typology), for mapping matches */
    typeCodes: z.array(safeLine(20)).max(10).optional(),
    lineOfBusiness: LineOfBusiness,
  }),
  policyId: PolicyId.optional(),
  device: z.object({
    kind: DeviceKind,
    route: Route,
    reservoirVolumeMl: z.number().finite().positive().optional(),
    model: safeLine(200).optional(),
  }),
  services: z.object({
    electronicAnalysis: z.boolean(),
    refill: z.boolean(),
    reprogramming: Reprogramming,
    analysisReason: safeText(500).optional(),
    /** added: how the dose or rate changed, as the note says it ("increased from 200 to 250 mcg/day") */
    doseChangeDetail: safeText(300).optional(),
    /** added: the visit is an intrathecal trial or a permanent implantation (Centene criteria checklists) */
    procedureType: z.enum(['maintenance', 'trial', 'implantation']).optional(),
  }),
  performer: z.object({
    role: PerformerRole,
    physicianSkillRequired: z.boolean(),
    physicianSkillReason: safeText(500).optional(),
    supervisingPhysicianOnSite: z.boolean().optional(),
  }),
  drugs: z.array(Drug).max(10),
  diagnoses: z.array(z.string().regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'expected an ICD-10-CM code')).max(12),
  separateEvaluation: z.object({
    performed: z.boolean(),
    code: code.optional(),
    reason: safeText(500).optional(),
  }),
  lastRefillDate: isoDate.optional(),
  dailyVolumeMl: z.number().finite().positive().optional(),
  priorServices: z.array(z.object({ date: isoDate, code })).max(100).optional(),
  proposedCodes: z.array(ProposedCode).max(20).optional(),
  drugOnSeparateClaim: z.boolean().optional(),
});
export type VisitFacts = z.infer<typeof VisitFacts>;

export const Citation = z.object({
  source: z.string().min(1),
  section: z.string().optional(),
  quote: z.string().optional(),
});
export type Citation = z.infer<typeof Citation>;

export const DeterminationLine = z.object({
  code,
  system: z.enum(['CPT', 'HCPCS']),
  display: z.string(),
  modifiers: z.array(z.string()),
  units: z.number().int().positive(),
  rationale: z.string(),
  citations: z.array(Citation).min(1),
});
export type DeterminationLine = z.infer<typeof DeterminationLine>;

export const Severity = z.enum(['info', 'warning', 'error']);
export const Warning = z.object({ id: z.string(), severity: Severity, message: z.string(), citations: z.array(Citation).min(1) });
export type Warning = z.infer<typeof Warning>;
export const ChecklistItem = z.object({ id: z.string(), text: z.string(), required: z.boolean(), citations: z.array(Citation).min(1) });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const Determination = z.object({
  policy: z.object({
    id: z.string(),
    name: z.string(),
    version: z.string(),
    lineOfBusiness: LineOfBusiness,
    jurisdiction: z.object({ mac: z.string(), documents: z.array(z.string()) }).optional(),
  }),
  lines: z.array(DeterminationLine),
  notCovered: z.array(z.object({ code, reason: z.string(), citations: z.array(Citation).min(1) })),
  warnings: z.array(Warning),
  checklist: z.array(ChecklistItem),
});
export type Determination = z.infer<typeof Determination>;

/** Warning ids (DESIGN.md table). Stable: add, never rename. */
export const WARNING_IDS = [
  'no-matching-policy', 'policy-silent-for-line-of-business', 'no-lcd-for-jurisdiction', 'out-of-area-jurisdiction',
  'state-medicaid-precedence', 'refer-to-other-policy', 'not-an-implanted-pump', 'route-not-described-by-code',
  'no-billable-service', 'physician-skill-undocumented', 'qhp-billing-payer-determination', 'performer-scope-of-practice',
  'incident-to-requirements', 'reprogramming-without-dose-change', 'refill-interval-short', 'interrogation-frequency',
  'drug-not-practice-expense', 'same-claim-required', 'compounded-ingredient-codes', 'compounded-code-varies',
  'duplicate-drug-codes', 'drug-waste-modifier', 'mutually-exclusive-codes', 'separate-em-needs-modifier-25',
  'em-not-separately-identifiable', 'diagnosis-not-supported', 'proposed-code-not-supported',
  'diagnosis-missing', 'payer-mapping-tie',
] as const;
export type WarningId = (typeof WARNING_IDS)[number];

/** Checklist ids (DESIGN.md). Stable: add, never rename. */
export const CHECKLIST_IDS = [
  'pump-status-before-after', 'analysis-findings', 'response-to-current-dose', 'dose-change-reason',
  'reprogramming-detail', 'reassessment', 'incident-to', 'drug-proof-of-purchase', 'drug-verification', 'drug-waste',
  'same-claim', 'physician-skill-reason', 'performer-credentials', 'residual-volume', 'refill-date-estimate',
  'refill-interval-justification', 'interrogation-reason', 'separate-em-documentation', 'diagnosis-supports-coverage',
  'implant-medical-necessity', 'prior-authorization',
  'diagnosis-code',
] as const;
export type ChecklistId = (typeof CHECKLIST_IDS)[number];

/** Policy context handed to the engine once the payer mapping is resolved. */
export const ReprogrammingMeaning = z.enum(['rate-or-dose-only', 'any-settings-update']);
export type ReprogrammingMeaning = z.infer<typeof ReprogrammingMeaning>;
/** added: the code billed for a compounded mixture (J7999 default; some MACs want J7799 or J3490) */
export const CompoundedDrugCode = z.enum(['J7999', 'J7799', 'J3490']);
export type CompoundedDrugCode = z.infer<typeof CompoundedDrugCode>;
/** added: per-mapping drug-coding options; absent = the sourced default (J7999, no KD) */
export const DrugCodingOptions = {
  compoundedDrugCode: CompoundedDrugCode.optional(),
  /** KD "drug or biological infused through DME" on every pump drug line (some MACs ask for it) */
  kdModifier: z.boolean().optional(),
};
export const PolicyContext = z.object({
  policyId: PolicyId,
  lineOfBusiness: LineOfBusiness,
  options: z.object({ reprogrammingMeaning: ReprogrammingMeaning.optional(), ...DrugCodingOptions }).optional(),
  /** false when no mapping matched and cpt-default is used (→ warning no-matching-policy) */
  mappingMatched: z.boolean(),
  mappingId: z.string().optional(),
});
export type PolicyContext = z.infer<typeof PolicyContext>;

// ---------------------------------------------------------------- fact sources

/**
 * Where a fact came from, keyed by a dotted fact path ("device.kind", "drugs.0.amount", "coverage.lineOfBusiness").
 * status: record = read from the EHR resource named; derived = computed from record facts;
 * default = the record could not settle it and a conservative default stands (the clinician should confirm);
 * clinician = set by the clinician on the review screen.
 */
export const FactSource = z.object({
  status: z.enum(['record', 'derived', 'default', 'clinician']),
  resourceType: z.string().optional(),
  id: z.string().optional(),
  note: z.string().max(300).optional(),
});
export type FactSource = z.infer<typeof FactSource>;
export const FactSources = z.record(z.string(), FactSource);
export type FactSources = z.infer<typeof FactSources>;

/** FHIR references found in the record, handed back to /api/drafts so the drafts point at the real resources. */
export const RecordReferences = z.object({
  patient: safeLine(500).optional(),        // "Patient/123"
  encounter: safeLine(500).optional(),
  coverage: safeLine(500).optional(),
  device: safeLine(500).optional(),
  practitioner: safeLine(500).optional(),
  conditions: z.array(safeLine(500)).optional(),
  procedures: z.array(safeLine(500)).optional(),
});
export type RecordReferences = z.infer<typeof RecordReferences>;

// ---------------------------------------------------------------- payer mappings

const matchText = safeLine(200).trim().min(1);
export const PayerMappingInput = z.object({
  /** what billing staff call it, e.g. "U of U Health Plans — Medicaid (Healthy U)"; screens and audit show it */
  name: z.string().trim().min(1).max(120).optional(),
  priority: z.number().int().min(0).max(1_000_000),
  enabled: z.boolean(),
  match: z.object({
    payerIdentifier: z.object({ system: safeLine(200).optional(), value: matchText }).optional(),
    /** case-insensitive substring, or a glob with * and ? — never a regular expression */
    payerName: matchText.optional(),
    planName: matchText.optional(),
    coverageType: z.array(safeLine(20)).max(50).optional(),
    states: z.array(usState).max(60).optional(),
  }).strict(),
  policyId: PolicyId,
  lineOfBusiness: LineOfBusiness,
  options: z.object({ reprogrammingMeaning: ReprogrammingMeaning.optional(), ...DrugCodingOptions }).strict().optional(),
  note: safeText(1000).optional(),
}).strict();
export type PayerMappingInput = z.infer<typeof PayerMappingInput>;
export const PayerMapping = PayerMappingInput.extend({ id: z.string().min(1).max(100), version: z.number().int().positive() });
export type PayerMapping = z.infer<typeof PayerMapping>;

/** What a mapping is matched against (from a Coverage, or from VisitFacts.coverage). */
export const CoverageMatchInput = z.object({
  payerIdentifiers: z.array(z.object({ system: z.string().optional(), value: z.string() })).default([]),
  payerNames: z.array(z.string()).default([]),
  planNames: z.array(z.string()).default([]),
  coverageTypes: z.array(z.string()).default([]),
  patientState: z.string().optional(),
});
export type CoverageMatchInput = z.infer<typeof CoverageMatchInput>;

export const MappingResolution = z.object({
  winner: PayerMapping.nullable(),
  matched: z.array(PayerMapping),
  reasons: z.array(z.object({ mappingId: z.string(), matched: z.boolean(), reason: z.string() })),
  /** set when two enabled mappings of the same top priority match: an error the admin screen shows */
  tie: z.array(z.string()).optional(),
});
export type MappingResolution = z.infer<typeof MappingResolution>;

// ---------------------------------------------------------------- HTTP bodies

export const EvaluateRequest = z.object({
  bundle: z.unknown().optional(),
  facts: z.unknown().optional(),
  /** partial VisitFacts, deep-merged over the extracted facts (arrays replace); the merged result is validated */
  overrides: z.record(z.string(), z.unknown()).optional(),
}).strict().refine((b) => (b.bundle === undefined) !== (b.facts === undefined), {
  message: 'send exactly one of "bundle" (a FHIR R4 Bundle) or "facts" (VisitFacts)',
});
export type EvaluateRequest = z.infer<typeof EvaluateRequest>;

export { LAUNCH_ENCOUNTER_TAG, MAX_DRUG_AMOUNT } from './plain.js';

/**
 * A notice about the record as read, shown at the top of the review: e.g. id `stale-launch-encounter`,
 * `entry-skipped`, `diagnosis-needs-icd10`, `coverage-unreadable`, `payer-mapping-tie`. `action` offers a
 * one-click correction: its `overrides` are sent back as /api/evaluate overrides.
 */
export const RecordNotice = z.object({
  id: z.string(),
  severity: Severity,
  message: z.string(),
  action: z.object({ label: z.string(), overrides: z.record(z.string(), z.unknown()) }).optional(),
});
export type RecordNotice = z.infer<typeof RecordNotice>;

export const EvaluateResponse = z.object({
  facts: VisitFacts,
  factSources: FactSources,
  determination: Determination,
  references: RecordReferences,
  mapping: z.object({ id: z.string().optional(), policyId: PolicyId, lineOfBusiness: LineOfBusiness, matched: z.boolean() }),
  recordNotices: z.array(RecordNotice).optional(),
});
export type EvaluateResponse = z.infer<typeof EvaluateResponse>;

export const AcceptedLine = DeterminationLine.pick({ code: true, system: true, display: true, modifiers: true, units: true });
export type AcceptedLine = z.infer<typeof AcceptedLine>;

export const DraftRequest = z.object({
  /**
   * accepted for older clients and read by nothing: the server derives the visit (patient + service date + encounter
   * on the signed-in user's EHR) itself; the app's client no longer sends it
   */
  launchId: z.string().regex(/^[A-Za-z0-9._-]{8,128}$/).optional(),
  facts: VisitFacts,
  acceptedLines: z.array(AcceptedLine).max(20),
  checklist: z.array(z.object({ id: safeLine(64), text: safeText(1000), required: z.boolean(), checked: z.boolean() })).max(50),
  /** the signed-in user (fhirUser), e.g. "Practitioner/abc" */
  author: z.object({ reference: safeLine(200), display: safeLine(200).optional() }),
  references: RecordReferences,
  policy: Determination.shape.policy,
  /** a new version of an already written visit, superseding version `supersedes` (which must be the current one) */
  update: z.object({ supersedes: z.number().int().positive() }).strict().optional(),
  /**
   * what the EHR will take, from the client's probe (CapabilityStatement and granted scopes). supersede: an update
   * on a generic EHR will mark the earlier note superseded (and Claim cancelled) — the client has update permission;
   * not said = not planned, so the version is finished without that step.
   */
  plan: z.object({ claimToEhr: z.boolean(), provenanceToEhr: z.boolean(), supersede: z.boolean().optional() }).strict().optional(),
}).strict();
export type DraftRequest = z.infer<typeof DraftRequest>;

export const DraftResponse = z.object({
  visitKey: z.string(),
  claim: z.record(z.string(), z.unknown()),
  documentReference: z.record(z.string(), z.unknown()),
  provenance: z.record(z.string(), z.unknown()),
});

export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional(),
    /** added: on 5xx (and every error), the id the server logged the failure under; quote it to support */
    requestId: z.string().optional() }),
});
export type ApiError = z.infer<typeof ApiError>;

export { APP_IDENTIFIER_SYSTEM } from './plain.js';
export * from './writeback.js';
