import type { EvaluateResponse } from '../../../server/contracts/index';
import type { ReadNotice } from '../fhir/reads';

/** Coverage and the policy it resolved to; an unreadable Coverage is said as such, never as "none found". */
export function PolicyCard({ result, coverageUnread }: { result: EvaluateResponse; coverageUnread?: ReadNotice }) {
  const { policy } = result.determination;
  const c = result.facts.coverage;
  return (
    <section className="card" data-testid="policy" aria-labelledby="policy-h">
      <h2 id="policy-h">Coverage and policy</h2>
      <dl>
        <dt>Payer</dt><dd data-testid="coverage-payer">{c.payerName ?? (coverageUnread ? 'coverage could not be read (see Problems)' : 'no active coverage in the record')}{c.planName ? ` — ${c.planName}` : ''}</dd>
        <dt>Policy</dt><dd><span data-testid="policy-name" data-policy-id={policy.id}>{policy.name}</span> <span className="muted">version <span data-testid="policy-version">{policy.version}</span></span></dd>
        <dt>Line of business</dt><dd data-testid="policy-lob">{policy.lineOfBusiness}</dd>
        {policy.jurisdiction ? <><dt>Jurisdiction</dt><dd data-testid="policy-jurisdiction">MAC {policy.jurisdiction.mac}{policy.jurisdiction.documents.length ? ` (${policy.jurisdiction.documents.join(', ')})` : ''}</dd></> : null}
        <dt>Mapping</dt>
        <dd data-testid="policy-mapping" data-matched={String(result.mapping.matched)} className={result.mapping.matched ? '' : 'confirm'}>
          {result.mapping.matched ? `matched a payer mapping${result.mapping.id ? ` (${result.mapping.id})` : ''}` : 'no payer mapping matched — AMA CPT rules only'}
        </dd>
      </dl>
    </section>
  );
}
