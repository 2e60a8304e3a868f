import type { VisitFacts, FactSources } from '../../../server/contracts/index';
import { SourceBadge } from './SourceBadge';

const KIND: Record<VisitFacts['device']['kind'], string> = {
  'implanted-programmable-pump': 'Implanted programmable pump', 'implanted-nonprogrammable-pump': 'Implanted non-programmable pump',
  'implanted-reservoir': 'Implanted reservoir', 'external-disposable-pump': 'External / disposable pump', unknown: 'Unknown device',
};

export function PumpCard({ facts, sources }: { facts: VisitFacts; sources: FactSources }) {
  const d = facts.device;
  return (
    <section className="card" data-testid="pump" aria-labelledby="pump-h">
      <h2 id="pump-h">Pump</h2>
      <dl>
        <dt>Kind</dt><dd data-testid="pump-kind">{KIND[d.kind]} <SourceBadge source={sources['device.kind']} path="device.kind" /></dd>
        <dt>Model</dt><dd data-testid="pump-model">{d.model ?? 'not recorded'}</dd>
        <dt>Route</dt><dd data-testid="pump-route">{d.route} <SourceBadge source={sources['device.route']} path="device.route" /></dd>
        <dt>Reservoir</dt><dd data-testid="pump-reservoir">{d.reservoirVolumeMl !== undefined ? `${d.reservoirVolumeMl} mL` : 'not recorded'}</dd>
      </dl>
    </section>
  );
}
