/** A list of citations: source and section always visible, the quoted policy text on demand. */
import type { Citation } from '../../../server/contracts/index';

export function Citations({ citations }: { citations: Citation[] }) {
  if (citations.length === 0) return null;
  return (
    <ul className="citations" data-testid="citations">
      {citations.map((c, i) => (
        <li key={i}>
          {c.quote ? (
            <details>
              <summary><cite>{c.source}</cite>{c.section ? <span className="section"> § {c.section}</span> : null}</summary>
              <blockquote data-testid="citation-quote">{c.quote}</blockquote>
            </details>
          ) : (
            <span><cite>{c.source}</cite>{c.section ? <span className="section"> § {c.section}</span> : null}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
