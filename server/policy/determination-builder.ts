/**
 * Collects the parts of a Determination while the rules run. Warnings and checklist items are kept
 * unique by id: a second warning with the same id appends its sentence; a second checklist item with
 * the same id widens `required` (required if any rule requires it).
 */
import type {
  ChecklistId, Citation, Determination, DeterminationLine, LineOfBusiness, WarningId,
} from '../contracts/index.js';
import { payerOfCitation } from './citations.js';

type Severity = 'info' | 'warning' | 'error';
type Warning = Determination['warnings'][number];
type ChecklistItem = Determination['checklist'][number];
type NotCovered = Determination['notCovered'][number];

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function mergeCitations(into: Citation[], more: readonly Citation[]): void {
  for (const c of more) if (!into.includes(c)) into.push(c);
}

export class DeterminationBuilder {
  readonly lines: DeterminationLine[] = [];
  readonly notCovered: NotCovered[] = [];
  private readonly warningList: Warning[] = [];
  private readonly checklistList: ChecklistItem[] = [];
  /** sentences that explain the whole determination; appended to the first service line's rationale */
  readonly notes: string[] = [];
  jurisdiction: { mac: string; documents: string[] } | undefined;

  constructor(
    readonly policy: { id: string; name: string; version: string },
    readonly lineOfBusiness: LineOfBusiness,
  ) {}

  addLine(line: DeterminationLine): void { this.lines.push(line); }

  hasLine(code: string): boolean { return this.lines.some((l) => l.code === code); }

  removeLines(predicate: (line: DeterminationLine) => boolean): DeterminationLine[] {
    const removed: DeterminationLine[] = [];
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const line = this.lines[i]!;
      if (predicate(line)) { removed.unshift(line); this.lines.splice(i, 1); }
    }
    return removed;
  }

  /** a second entry for the same code keeps the first reason and adds its citations */
  addNotCovered(code: string, reason: string, citations: readonly Citation[]): void {
    const existing = this.notCovered.find((n) => n.code === code);
    if (existing) { mergeCitations(existing.citations, citations); return; }
    this.notCovered.push({ code, reason, citations: [...citations] });
  }

  /**
   * DESIGN.md "Citations shown to people": the governing payer's text first, another payer's text never.
   * Shared rules may name a seed payer's passage; on another payer's determination it is dropped (the code
   * descriptors are cited from the code sets, so a rule always keeps a citation of its own).
   */
  private governCitations(citations: Citation[]): Citation[] {
    const own = this.policy.id;
    // fast path: nothing foreign, and the payer's own text (if any) already leads
    let needed = false;
    let seenNeutral = false;
    for (const c of citations) {
      const p = payerOfCitation(c);
      if (p === undefined) seenNeutral = true;
      else if (p !== own || seenNeutral) { needed = true; break; }
    }
    if (!needed) return citations;
    const mine: Citation[] = [];
    const neutral: Citation[] = [];
    let foreign = 0;
    for (const c of citations) {
      const p = payerOfCitation(c);
      if (p === undefined) neutral.push(c); else if (p === own) mine.push(c); else foreign++;
    }
    if (foreign === 0 && mine.length === 0) return citations;
    // Only foreign text: nothing is shown rather than another payer's words. No rule reaches this today; if one
    // does, the invariant "every line … carries a citation" (invariants.test.ts) fails instead of people being misled.
    return [...mine, ...neutral];
  }

  warn(id: WarningId, severity: Severity, message: string, citations: readonly Citation[]): void {
    const existing = this.warningList.find((w) => w.id === id);
    if (!existing) {
      this.warningList.push({ id, severity, message, citations: [...citations] });
      return;
    }
    if (!existing.message.includes(message)) existing.message += ' ' + message;
    if (SEVERITY_RANK[severity] > SEVERITY_RANK[existing.severity]) existing.severity = severity;
    mergeCitations(existing.citations, citations);
  }

  hasWarning(id: WarningId): boolean { return this.warningList.some((w) => w.id === id); }

  check(id: ChecklistId, text: string, required: boolean, citations: readonly Citation[]): void {
    const existing = this.checklistList.find((c) => c.id === id);
    if (!existing) {
      this.checklistList.push({ id, text, required, citations: [...citations] });
      return;
    }
    if (required && !existing.required) { existing.required = true; existing.text = text; }
    mergeCitations(existing.citations, citations);
  }

  hasChecklist(id: ChecklistId): boolean { return this.checklistList.some((c) => c.id === id); }

  build(): Determination {
    if (this.notes.length > 0 && this.lines.length > 0) {
      const first = this.lines[0]!;
      first.rationale += ' ' + this.notes.join(' ');
    }
    for (const part of [...this.lines, ...this.notCovered, ...this.warningList, ...this.checklistList]) {
      part.citations = this.governCitations(part.citations);
    }
    const policy: Determination['policy'] = { ...this.policy, lineOfBusiness: this.lineOfBusiness };
    if (this.jurisdiction) policy.jurisdiction = this.jurisdiction;
    return {
      policy,
      lines: this.lines,
      notCovered: this.notCovered,
      warnings: this.warningList,
      checklist: this.checklistList,
    };
  }
}
