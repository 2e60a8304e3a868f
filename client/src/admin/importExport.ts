/**
 * Import/export without React: read an uploaded JSON file, validate every row with the shared schema
 * (naming row and field, as the server's all-or-nothing import does), and summarise what committing would
 * change before anything is sent.
 */
import { z } from 'zod';
import { PayerMappingInput, type PayerMapping } from '../../../server/contracts/index.js';
import type { ImportRow } from './api.js';
import { strings } from './strings.js';

/** An import row: a mapping as exported (id and version kept), or a new one without them. */
export const ImportMapping = PayerMappingInput.extend({
  id: z.string().min(1).max(100).optional(),
  version: z.number().int().positive().optional(),
});

export interface ImportProblem { row: number; path: string; message: string }

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
  const empty = { rows: [], problems: [], added: [], changed: [], unchanged: [], notInFile: [] };
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
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ row: i + 1, path: issue.path.map(String).join('.') || '(row)', message: issue.message });
      return;
    }
    if (parsed.data.id) {
      if (seen.has(parsed.data.id)) problems.push({ row: i + 1, path: 'id', message: `duplicate id "${parsed.data.id}" in the file` });
      seen.add(parsed.data.id);
    }
    rows.push(parsed.data);
  });

  const byId = new Map(current.map((m) => [m.id, m]));
  const added: string[] = []; const changed: string[] = []; const unchanged: string[] = [];
  rows.forEach((r, i) => {
    const existing = r.id ? byId.get(r.id) : undefined;
    const label = r.id ?? `row ${i + 1} (new)`;
    if (!existing) added.push(label);
    else if (canonical(existing) === canonical(r)) unchanged.push(label);
    else changed.push(label);
  });
  const notInFile = current.filter((m) => !seen.has(m.id)).map((m) => m.id);
  return { ok: problems.length === 0 && rows.length > 0, rows, problems, added, changed, unchanged, notInFile };
}

/** Server 400 details on import ("mappings.3.policyId") → row 4, field policyId. */
export function importProblemsFromDetails(details: { path: string; message: string }[]): ImportProblem[] {
  return details.map((d) => {
    const m = /^(?:mappings\.)?(\d+)\.?(.*)$/.exec(d.path);
    return m ? { row: Number(m[1]) + 1, path: m[2] || '(row)', message: d.message } : { row: 0, path: d.path, message: d.message };
  });
}

export function exportFileName(now = new Date()): string {
  return `payer-mappings-${now.toISOString().slice(0, 10)}.json`;
}
