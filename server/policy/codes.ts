/**
 * The CPT codes of the pump services and their descriptors as the seeds print them (AMA copyright;
 * shown only where the deployment holds a CPT licence). Sources: 001 (all codes), 000 (62369/62370,
 * 95990/95991), 003 (62367-62370).
 */
const PUMP_ANALYSIS_CODES: ReadonlySet<string> = new Set(['62367', '62368', '62369', '62370']);
const PUMP_REFILL_CODES: ReadonlySet<string> = new Set(['95990', '95991']);
export const PUMP_SERVICE_CODES: ReadonlySet<string> = new Set([...PUMP_ANALYSIS_CODES, ...PUMP_REFILL_CODES, '96522']);
/** codes that include a refill */
export const REFILL_CODES: ReadonlySet<string> = new Set(['62369', '62370', '95990', '95991', '96522']);

export const CPT_DISPLAY: Readonly<Record<string, string>> = {
  '62367': 'Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion (includes evaluation of reservoir status, alarm status, drug prescription status); without reprogramming or refill',
  '62368': 'Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion (includes evaluation of reservoir status, alarm status, drug prescription status); with reprogramming',
  '62369': 'Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion (includes evaluation of reservoir status, alarm status, drug prescription status); with reprogramming and refill',
  '62370': 'Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion (includes evaluation of reservoir status, alarm status, drug prescription status); with reprogramming and refill (requiring skill of a physician or other qualified health care professional)',
  '95990': 'Refilling and maintenance of implantable pump or reservoir for drug delivery, spinal (intrathecal, epidural) or brain (intraventricular), includes electronic analysis of pump, when performed',
  '95991': 'Refilling and maintenance of implantable pump or reservoir for drug delivery, spinal (intrathecal, epidural) or brain (intraventricular), includes electronic analysis of pump, when performed; requiring skill of a physician or other qualified health care professional',
  '96522': 'Refilling and maintenance of implantable pump or reservoir for drug delivery, systemic (eg, intravenous, intra-arterial)',
};

export const isPumpAnalysisCode = (code: string): boolean => PUMP_ANALYSIS_CODES.has(code);
export const isPumpRefillCode = (code: string): boolean => PUMP_REFILL_CODES.has(code);
/** Office/outpatient and other E/M codes (99202-99499). */
export function isEvaluationAndManagementCode(code: string): boolean {
  return /^99[2-4]\d\d$/.test(code);
}
