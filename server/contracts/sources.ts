/**
 * The registry of sources every Citation.source points into (DESIGN.md "Citations shown to people").
 * People see `title` (and the section), never a seed file name. Shared by server (DocumentReference text)
 * and client (review screen), so both always say the same thing.
 */
export interface SourceInfo {
  /** what a clinician or coder reads, e.g. "U of U Health Plans — Implanted infusion pump refill policy" */
  title: string;
  publisher: string;
  /** the date on the document when it carries one (free text, as published) */
  date?: string;
  /** the seed file it is stored in, when it is one of the five source documents */
  seed?: string;
}

export const SEED_FILES = {
  uuhp: '000_79e2bd03f86c6506.txt',
  icare: '001_931196b5a260c27d.txt',
  article: '002_0ba349b388c372c5.txt',
  centene: '003_51dd6ce1ef6fac37.txt',
  forum: '004_449821d80fe360c5.txt',
} as const;

const SOURCES: Readonly<Record<string, SourceInfo>> = Object.freeze({
  [SEED_FILES.uuhp]: {
    title: 'U of U Health Plans — Implanted infusion pump refill policy',
    publisher: 'University of Utah Health Plans', seed: SEED_FILES.uuhp,
  },
  [SEED_FILES.icare]: {
    title: 'iCare Medicare Advantage policy WI.PA-1133 — Implantable infusion pumps for pain or spasticity',
    publisher: 'Independent Care Health Plan', date: 'effective 01/01/2024', seed: SEED_FILES.icare,
  },
  [SEED_FILES.article]: {
    title: 'Coding article on CMS LCA A55239 — Implantable infusion pumps for chronic pain',
    publisher: 'coding article quoting CMS A55239', date: 'June 15, 2023', seed: SEED_FILES.article,
  },
  [SEED_FILES.centene]: {
    title: 'Centene clinical policy CP.MP.173 — Implantable intrathecal pain pump',
    publisher: 'Centene Corporation', date: 'last review 01/20', seed: SEED_FILES.centene,
  },
  [SEED_FILES.forum]: {
    title: "Coders' forum thread — billing 62370 at every refill (quotes AMA CPT Assistant 2012)",
    publisher: 'coders’ forum', seed: SEED_FILES.forum,
  },
});

/** Sources not in the seeds are named by what they are (e.g. "CMS NCD 280.14"): the name is the title. */
export function sourceInfo(source: string): SourceInfo {
  const known = SOURCES[source];
  if (known) return known;
  for (const [file, info] of Object.entries(SOURCES)) {
    // composite sources such as "CMS Article A55239, as quoted in 002_….txt" keep their own words, seed titled
    if (source.includes(file)) return { ...info, title: source.replace(file, info.title) };
  }
  return { title: source, publisher: source.split(/[ (]/)[0] ?? source };
}

/** "Title § section" for one line of text (DocumentReference, CSV, screen readers). */
export function citationLabel(c: { source: string; section?: string }): string {
  const { title } = sourceInfo(c.source);
  return c.section ? `${title} § ${c.section}` : title;
}
