import type { EvaluateResponse } from '../../../server/contracts/index';

export function PolicyCard({ result }: { result: EvaluateResponse }) {
  const { policy } = result.determination;
  const c = result.facts.coverage;
  return (
    <section className="card" data-testid="policy">
      <h2>Coverage and policy</h2>
      <dl>
        <dt>Payer</dt><dd data-testid="coverage-payer">{c.payerName ?? 'no active coverage found'}{c.planName ? ` — ${c.planName}` : ''}</dd>
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
