/**
 * Import/export without React: read an uploaded JSON file, validate every row with the shared schema
 * (naming row and field, as the server's all-or-nothing import does), and summarise what committing would
 * change before anything is sent.
 */
import { z } from 'zod';
import { PayerMappingInput, type PayerMapping } from '../../../server/contracts/index.js';
import { fieldInWords, issueInWords, rowLabel } from '../../../server/contracts/mappingIssues.js';
import { findTies, mappingLabel } from '../../../server/contracts/mappingTies.js';
import type { ImportRow } from './api.js';
import { strings } from './strings.js';

/** An import row: a mapping as exported (id and version kept), or a new one without them. */
export const ImportMapping = PayerMappingInput.extend({
  id: z.string().min(1).max(100).optional(),
  version: z.number().int().positive().optional(),
});

/** row is 1-based (0: the whole file); `field` the field in words; `message` a whole sentence naming row and field */
export interface ImportProblem { row: number; path: string; field: string; message: string }

export interface ImportSummary {
  ok: boolean;
  /** file-level problem (not JSON, wrong shape) */
  fileError?: string;
  rows: ImportRow[];
  problems: ImportProblem[];
  added: string[];
  changed: string[];
  unchanged: string[];
  /** current mappings the file does not mention: the import (replace-all) removes them */
  notInFile: string[];
  /** pairs of rows in the file that would tie (the server asks for a confirmation): "'A' and 'B' at priority 250" */
  ties: string[];
}

const canonical = (m: Record<string, unknown>) => {
  const { id: _id, version: _v, ...rest } = m;
  return JSON.stringify(sortKeys(rest));
};
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  }
  return v;
}

export function summariseImport(text: string, current: PayerMapping[]): ImportSummary {
  const empty = { rows: [], problems: [], added: [], changed: [], unchanged: [], notInFile: [], ties: [] };
  let json: unknown;
  try { json = JSON.parse(text); } catch { return { ok: false, fileError: strings.fileNotJson, ...empty }; }
  const list = Array.isArray(json) ? json
    : json && typeof json === 'object' && Array.isArray((json as { mappings?: unknown }).mappings) ? (json as { mappings: unknown[] }).mappings
    : undefined;
  if (!list) return { ok: false, fileError: strings.fileWrongShape, ...empty };

  const problems: ImportProblem[] = [];
  const rows: ImportRow[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const parsed = ImportMapping.safeParse(item);
    const label = rowLabel(i, item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ row: i + 1, path: issue.path.map(String).join('.') || '(row)', field: fieldInWords(issue.path as (string | number)[]),
          message: `${label}: ${issueInWords(issue, item)}` });
      }
      return;
    }
    if (parsed.data.id) {
      if (seen.has(parsed.data.id)) problems.push({ row: i + 1, path: 'id', field: 'id', message: `${label}: id '${parsed.data.id}' appears twice in the file` });
      seen.add(parsed.data.id);
    }
    rows.push(parsed.data);
  });

  const byId = new Map(current.map((m) => [m.id, m]));
  const added: string[] = []; const changed: string[] = []; const unchanged: string[] = [];
  rows.forEach((r, i) => {
    const existing = r.id ? byId.get(r.id) : undefined;
    const label = (typeof r.name === 'string' ? r.name : undefined) ?? r.id ?? `row ${i + 1} (new)`;
    if (!existing) added.push(label);
    else if (canonical(existing) === canonical(r)) unchanged.push(label);
    else changed.push(label);
  });
  const notInFile = current.filter((m) => !seen.has(m.id)).map((m) => mappingLabel(m));
  const keyed = rows.map((r, i) => ({ ...(r as PayerMappingInput), id: r.id ?? `#row-${i + 1}` }));
  const tiePairs = findTies(keyed);
  const ties: string[] = [];
  const byKey = new Map(keyed.map((r, i) => [r.id, { r, i }]));
  for (const [a, others] of tiePairs) {
    for (const b of others) {
      const x = byKey.get(a)!; const y = byKey.get(b)!;
      if (x.i < y.i) ties.push(`${rowLabel(x.i, x.r)} and ${rowLabel(y.i, y.r)} at priority ${x.r.priority}`);
    }
  }
  return { ok: problems.length === 0 && rows.length > 0, rows, problems, added, changed, unchanged, notInFile, ties };
}

/** Server 400 details on import ("mappings.3.policyId", already in words) → row 4, field "policy". */
export function importProblemsFromDetails(details: { path: string; message: string }[]): ImportProblem[] {
  return details.map((d) => {
    const m = /^(?:mappings\.)?(\d+)\.?(.*)$/.exec(d.path);
    if (!m) return { row: 0, path: d.path, field: fieldInWords(d.path.split('.')), message: d.message };
    const path = m[2] || '(row)';
    const parts = path === '(row)' ? [] : path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    return { row: Number(m[1]) + 1, path, field: fieldInWords(parts), message: d.message };
  });
}

export function exportFileName(now = new Date()): string {
  return `payer-mappings-${now.toISOString().slice(0, 10)}.json`;
}
