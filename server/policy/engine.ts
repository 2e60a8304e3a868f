/**
 * The shared pipeline every payer module runs: CPT code selection, performer rules, drugs, Medicare
 * rules where they apply, E/M, frequency, the payer's own rules, checklist, proposed-code
 * reconciliation. Pure: facts and context in, Determination out.
 */
import type { Citation, Determination, DeterminationLine, LineOfBusiness, PolicyContext, PolicyId, VisitFacts } from '../contracts/index.js';
import { ARTICLE, FORUM } from './citations.js';
import { addServiceChecklist, applyDiagnosisRules, applyPerformerRules } from './checklist.js';
import { selectPumpService, type PumpService } from './cpt-decision-tree.js';
import { DeterminationBuilder } from './determination-builder.js';
import { addDrugLines, type DrugOptions, type DrugOutcome } from './drugs.js';
import { applyEvaluationAndManagement, type EvaluationOutcome } from './evaluation-management.js';
import { applyFrequencyRules } from './frequency.js';
import { applyMedicareJurisdiction, applyMedicareVisitRules, medicareNotCovered, type MedicarePlan } from './medicare-rules.js';
import { reconcileProposedCodes } from './proposed-codes.js';

export interface PolicyModuleInfo {
  id: PolicyId;
  name: string;
  version: string;
  sourceDate: string;
  sources: { file: string; title: string }[];
  linesOfBusiness: LineOfBusiness[];
}

/** How a module applies to one visit, decided from the line of business. */
export interface ModulePlan {
  /** Medicare rules apply (NCD 280.14, the MAC's LCD/LCA, same claim, incident-to, JW/JZ) */
  medicare?: MedicarePlan;
  /** cap of the expected refill interval (the payer's typical interval) */
  refillIntervalCapDays?: number;
  refillIntervalCapCitation?: Citation;
}

export interface VisitOutcome { pump: PumpService; drugs: DrugOutcome; em: EvaluationOutcome }

export interface NotCoveredCode { code: string; reason: string; citations: readonly Citation[] }

export interface PolicyModule {
  info: PolicyModuleInfo;
  /** the module used when no payer mapping matched (→ warning no-matching-policy) */
  fallback?: boolean;
  /** codes this payer does not cover for this visit, with its reason and its text */
  notCoveredCodes?(facts: VisitFacts, lineOfBusiness: LineOfBusiness): NotCoveredCode[];
  /** the payer's own text for a line; placed before the shared citations (the governing payer's text first) */
  lineCitations?(line: DeterminationLine, facts: VisitFacts, lineOfBusiness: LineOfBusiness): readonly Citation[];
  /** drug-coding settings the payer's rules set (compounded code, KD); a mapping's options override them */
  drugCodeOptions?(facts: VisitFacts, lineOfBusiness: LineOfBusiness): Pick<DrugOptions, 'compoundedDrugCode' | 'kdModifier'>;
  /** decide which rules apply for this line of business; may raise line-of-business warnings */
  plan(facts: VisitFacts, lineOfBusiness: LineOfBusiness, b: DeterminationBuilder): ModulePlan;
  /** the payer's own rules (coverage, diagnoses, referrals, checklist items), after the shared pipeline */
  apply?(facts: VisitFacts, lineOfBusiness: LineOfBusiness, visit: VisitOutcome, b: DeterminationBuilder): void;
}

export function runPolicyModule(module: PolicyModule, facts: VisitFacts, context: PolicyContext): Determination {
  const lineOfBusiness = context.lineOfBusiness !== 'unknown' ? context.lineOfBusiness : facts.coverage.lineOfBusiness;
  const b = new DeterminationBuilder({ id: module.info.id, name: module.info.name, version: module.info.version }, lineOfBusiness);
  const meaning = context.options?.reprogrammingMeaning ?? 'rate-or-dose-only';

  if (!context.mappingMatched && module.fallback) {
    b.warn('no-matching-policy', 'warning',
      'No payer mapping matched this coverage, so only the AMA CPT coding rules were applied (no payer coverage rules). Ask an administrator to map this payer to its policy.',
      [FORUM.payersDiffer, ARTICLE.commercialDiffers]);
  }
  const plan = module.plan(facts, lineOfBusiness, b);
  if (plan.medicare) applyMedicareJurisdiction(facts, plan.medicare, b);

  const pump = selectPumpService(facts, meaning, b);
  applyPerformerRules(facts, pump, b);
  const medicarePayer = lineOfBusiness === 'medicare' || lineOfBusiness === 'medicare-advantage';
  const drugOptions: DrugOptions = { medicareRules: plan.medicare !== undefined, medicarePayer, ...module.drugCodeOptions?.(facts, lineOfBusiness) };
  if (context.options?.compoundedDrugCode) drugOptions.compoundedDrugCode = context.options.compoundedDrugCode;
  if (context.options?.kdModifier !== undefined) drugOptions.kdModifier = context.options.kdModifier;
  const drugs = addDrugLines(facts, drugOptions, b);
  if (plan.medicare) applyMedicareVisitRules(facts, pump, drugs, b);
  else if (drugs.anyLine) {
    b.check('drug-proof-of-purchase', 'Keep proof that the drug billed was bought by the practice (invoice).', false, [ARTICLE.practiceExpense]);
  }
  const em = applyEvaluationAndManagement(facts, pump.code !== undefined && b.hasLine(pump.code) ? pump.code : undefined, b);
  const frequencyOptions: Parameters<typeof applyFrequencyRules>[2] = { medicareRules: plan.medicare !== undefined };
  if (plan.refillIntervalCapDays !== undefined) frequencyOptions.capDays = plan.refillIntervalCapDays;
  if (plan.refillIntervalCapCitation) frequencyOptions.capCitation = plan.refillIntervalCapCitation;
  applyFrequencyRules(facts, pump.code, frequencyOptions, b);

  module.apply?.(facts, lineOfBusiness, { pump, drugs, em }, b);
  addServiceChecklist(facts, pump, b, plan.medicare !== undefined);
  applyDiagnosisRules(facts, b);

  // ---- the payer's declared hooks: codes it does not cover, its own text on each line
  if (plan.medicare || medicarePayer) for (const n of medicareNotCovered(facts)) b.addNotCovered(n.code, n.reason, n.citations);
  for (const n of module.notCoveredCodes?.(facts, lineOfBusiness) ?? []) b.addNotCovered(n.code, n.reason, n.citations);
  if (module.lineCitations) {
    for (const line of b.lines) {
      const own = module.lineCitations(line, facts, lineOfBusiness);
      if (own.length === 0 || (own.length === 1 && line.citations[0] === own[0])) continue;
      line.citations = [...own, ...line.citations.filter((c) => !own.includes(c))];
    }
  }
  reconcileProposedCodes(facts, { pump, drugs, em, medicareRules: plan.medicare !== undefined || medicarePayer }, b);

  if (b.lines.length === 0) {
    b.warn('no-billable-service', 'warning',
      'No billable line follows from the facts as given' + (b.hasWarning('incident-to-requirements') || b.hasWarning('not-an-implanted-pump') ? ' (see the other warnings)' : '') +
      '. Check the services recorded (electronic analysis, reprogramming, refill), the device, the performer and who bought the drug.',
      [ARTICLE.servicesQuestion, FORUM.reprogrammingExample]);
  }
  return b.build();
}
