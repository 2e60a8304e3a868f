/** The pump-service codes live in the one code table (server/terminology); re-exported for the policy files. */
export {
  CPT_DISPLAY, PUMP_SERVICE_CODES, REFILL_CODES, isPumpAnalysisCode, isPumpRefillCode, isEvaluationAndManagementCode, cptPumpCode,
} from '../terminology/index.js';
