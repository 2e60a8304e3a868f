/**
 * The policy engine: facts in, determination out. Pure (no HTTP, store, EHR or I/O) and fast.
 *
 *   evaluateVisit(facts, context)   context.policyId picks the module (facts.policyId overrides it)
 *   POLICY_MODULES                  the modules with their versions and sources (GET /api/policies)
 *   macJurisdictionForState(state)  Medicare A/B MAC jurisdiction and the pump documents of 001
 */
import type { Determination, PolicyContext, PolicyId, VisitFacts } from '../contracts/index.js';
import { runPolicyModule, type PolicyModule, type PolicyModuleInfo } from './engine.js';
import { centeneCpMp173 } from './modules/centene-cp-mp-173.js';
import { cmsMedicare } from './modules/cms-medicare.js';
import { cptDefault } from './modules/cpt-default.js';
import { icareMa } from './modules/icare-ma.js';
import { uuhp } from './modules/uuhp.js';

export { macJurisdictionForState } from './jurisdictions.js';
export type { MacJurisdiction } from './jurisdictions.js';
export type { PolicyModuleInfo } from './engine.js';

const MODULES: Record<PolicyId, PolicyModule> = {
  'uuhp': uuhp,
  'icare-ma': icareMa,
  'centene-cp-mp-173': centeneCpMp173,
  'cms-medicare': cmsMedicare,
  'cpt-default': cptDefault,
};

export const POLICY_MODULES: ReadonlyArray<PolicyModuleInfo> = Object.freeze(Object.values(MODULES).map((m) => m.info));

export function evaluateVisit(facts: VisitFacts, context: PolicyContext): Determination {
  const policyId: PolicyId = facts.policyId ?? context.policyId;
  const module = MODULES[policyId] ?? cptDefault;
  return runPolicyModule(module, facts, context);
}
