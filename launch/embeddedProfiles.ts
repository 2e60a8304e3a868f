/**
 * The EHR profiles the server wrote into the page (a JSON data block: the answer of GET /api/ehr-profiles), so the
 * launch page and the review need no round trip for them; undefined when the page has none (then fetch them).
 */
export function embeddedProfiles(doc: Document = document): unknown {
  const text = doc.getElementById('prc-ehr-profiles')?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
