/**
 * A payer mapping tie at evaluation time: two or more enabled mappings of the same top priority match the
 * visit's Coverage and send it to different results. No mapping wins (resolve.ts); the determination uses
 * CPT-only rules (input.ts resolvePolicyContext) and the clinician sees, at the top of the review, that the
 * payer mappings disagree and an administrator must choose. Never a guess at which payer is right.
 */
import type { Determination, MappingResolution, PayerMapping, RecordNotice, VisitFacts, Warning } from '../contracts/index';
import { lineOfBusinessLabel, mappingLabel } from '../contracts/mappingTies';
import { ARTICLE, FORUM } from '../policy/citations';
import { POLICY_MODULES } from '../policy/index';

export const MAPPING_TIE_ID = 'payer-mapping-tie';

const policyName = (id: string) => POLICY_MODULES.find((p) => p.id === id)?.name ?? id;

/** "'U of U Health Plans — Medicaid' (U of U Health Plans — Refill …, Medicaid)" */
export function describeTied(m: PayerMapping): string {
  return `'${mappingLabel(m)}' (${policyName(m.policyId)}, ${lineOfBusinessLabel(m.lineOfBusiness)})`;
}

/** The sentence the clinician reads. */
export function mappingTieMessage(tied: PayerMapping[]): string {
  const list = tied.map(describeTied);
  const shown = list.length === 2 ? `${list[0]} and ${list[1]}` : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  const priority = tied[0]?.priority;
  const head = tied.length === 2 ? 'Two payer mappings disagree' : `${tied.length} payer mappings disagree`;
  return `${head}; an administrator must choose. ${shown} ${tied.length === 2 ? 'both' : 'all'} match this coverage at priority ${priority}`
    + ' and send it to different policies or lines of business, so no payer policy was applied: only the AMA CPT coding rules.'
    + ' Do not bill on these lines until an administrator has changed a priority or disabled one of them (Administration → Payer mappings).';
}

/**
 * The notice and the warning for a tie, or nothing. When the facts force a policy module (facts.policyId)
 * the mappings were not used, so there is nothing to say.
 */
export function mappingTieProblem(resolution: MappingResolution, facts: Pick<VisitFacts, 'policyId'>):
  { notice: RecordNotice; warning: Warning } | undefined {
  if (!resolution.tie?.length || facts.policyId) return undefined;
  const tied = resolution.tie.map((id) => resolution.matched.find((m) => m.id === id)).filter((m): m is PayerMapping => m !== undefined);
  if (tied.length < 2) return undefined;
  const message = mappingTieMessage(tied);
  return {
    notice: { id: MAPPING_TIE_ID, severity: 'error', message },
    // why CPT-only rules are not the payer's: payers interpret the codes differently (the same passages the
    // no-matching-policy warning cites)
    warning: { id: MAPPING_TIE_ID, severity: 'error', message, citations: [FORUM.payersDiffer, ARTICLE.commercialDiffers] },
  };
}

/**
 * Adds the tie warning at the top of the determination's warnings and returns the record notices to show
 * (empty when there is no tie). Used by POST /api/evaluate and the CLI.
 */
export function applyMappingTie(determination: Determination, resolution: MappingResolution, facts: Pick<VisitFacts, 'policyId'>): RecordNotice[] {
  const problem = mappingTieProblem(resolution, facts);
  if (!problem) return [];
  if (!determination.warnings.some((w) => w.id === MAPPING_TIE_ID)) determination.warnings.unshift(problem.warning);
  return [problem.notice];
}
