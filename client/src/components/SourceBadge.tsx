/** Where a fact came from; 'default' facts are flagged "please confirm". */
import type { FactSource } from '../../../server/contracts/index';

const LABEL: Record<FactSource['status'], string> = {
  record: 'from the record', derived: 'derived — please check', default: 'default — please confirm', clinician: 'set by you',
};

export function SourceBadge({ source, path }: { source: FactSource | undefined; path: string }) {
  if (!source) return <span className="source source-none" data-testid={`source-${path}`}>not in the record</span>;
  const where = source.resourceType ? ` (${source.resourceType}${source.id ? `/${source.id}` : ''})` : '';
  return (
    <span className={`source source-${source.status}`} data-testid={`source-${path}`} data-status={source.status}
      title={source.note}>
      {LABEL[source.status]}{where}{source.status === 'derived' && source.note ? <span className="source-note">: {source.note}</span> : null}
    </span>
  );
}
