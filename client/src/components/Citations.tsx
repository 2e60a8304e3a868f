/**
 * The sources behind a line, warning or checklist item: one "Sources (n)" disclosure (one tab stop), holding each
 * source's human title and section (DESIGN.md "Citations shown to people": never a file name) and the quoted text.
 */
import type { Citation } from '../../../server/contracts/index';
import { sourceInfo } from '../../../server/contracts/sources';

export function Citations({ citations, label = 'Sources' }: { citations: Citation[]; label?: string }) {
  if (citations.length === 0) return null;
  return (
    <details className="sources" data-testid="citations">
      <summary>{label} ({citations.length})</summary>
      <ul className="citations">
        {citations.map((c, i) => {
          const info = sourceInfo(c.source);
          return (
            <li key={i} data-testid="citation">
              <cite data-testid="citation-title">{info.title}</cite>
              {c.section ? <span className="section"> § {c.section}</span> : null}
              {info.date ? <span className="muted"> ({info.date})</span> : null}
              {c.quote ? <blockquote data-testid="citation-quote">{c.quote}</blockquote> : null}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
