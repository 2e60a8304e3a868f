/** Export the mappings as JSON; import a JSON file after a validation summary (the server imports all or nothing). */
import { useState } from 'react';
import type { AdminApi } from './api.js';
import { exportFileName, importProblemsFromDetails, summariseImport, type ImportProblem, type ImportSummary } from './importExport.js';
import { strings } from './strings.js';
import { Banner, downloadText } from './widgets.js';

export default function ImportExportPage(props: { api: AdminApi }) {
  const { api } = props;
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [summary, setSummary] = useState<ImportSummary>();
  const [fileName, setFileName] = useState<string>();
  const [serverProblems, setServerProblems] = useState<ImportProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [removalOk, setRemovalOk] = useState(false);
  const [tieOk, setTieOk] = useState(false);
  /** the server's 409: ties among the file's rows, in its words */
  const [serverTie, setServerTie] = useState<string>();

  const exportNow = async () => {
    setError(undefined); setDone(undefined);
    const r = await api.exportMappings();
    if (!r.ok) { setError(r.message); return; }
    downloadText(exportFileName(), `${JSON.stringify({ mappings: r.data }, null, 2)}\n`, 'application/json');
    setDone(`Exported ${r.data.length} mappings.`);
  };

  const readFile = async (file: File | undefined) => {
    setSummary(undefined); setServerProblems([]); setError(undefined); setDone(undefined); setRemovalOk(false); setTieOk(false); setServerTie(undefined);
    if (!file) return;
    setFileName(file.name);
    const [text, current] = await Promise.all([file.text(), api.listMappings()]);
    if (!current.ok) { setError(current.message); return; }
    setSummary(summariseImport(text, current.data));
  };

  const needsTieOk = (summary?.ties.length ?? 0) > 0 || serverTie !== undefined;
  const commit = async () => {
    if (!summary?.ok || (summary.notInFile.length > 0 && !removalOk) || (needsTieOk && !tieOk)) return;
    setBusy(true);
    const r = await api.importMappings(summary.rows, { confirmTie: needsTieOk && tieOk });
    setBusy(false);
    if (r.ok) { setDone(strings.importDone(r.data?.length ?? summary.rows.length)); setSummary(undefined); return; }
    if (r.kind === 'tie') { setServerTie(r.message); setTieOk(false); return; }
    if (r.kind === 'invalid') { setServerProblems(importProblemsFromDetails(r.details)); setError(`${r.message} Nothing was imported.`); }
    else setError(`${r.message} Nothing was imported.`);
  };

  const problems = [...(summary?.problems ?? []), ...serverProblems];

  return (
    <section data-testid="import-export-page" aria-labelledby="adm-ie-h">
      <h1 id="adm-ie-h">Import / Export</h1>
      {error && <Banner kind="error" testId="import-error">{error}</Banner>}
      {done && <Banner kind="success" testId="import-result">{done}</Banner>}
      <div className="adm-card">
        <h2>Export</h2>
        <p>Download every mapping as JSON (the same format the import takes).</p>
        <button type="button" className="adm-btn" onClick={() => void exportNow()} data-testid="export-button">Download mappings (JSON)</button>
      </div>
      <div className="adm-card">
        <h2>Import</h2>
        <p>The file <strong>replaces every current mapping</strong>: mappings not in the file are removed. The file is checked here first; the server then imports all rows or none. Export first to keep a copy.</p>
        <div className="adm-field">
          <label htmlFor="adm-import-file">Mappings file (JSON)</label>
          <input id="adm-import-file" type="file" accept="application/json,.json" onChange={(e) => void readFile(e.target.files?.[0])} data-testid="import-file" />
        </div>
        {summary && (
          <div data-testid="import-summary" aria-live="polite">
            <h3>Check of {fileName}</h3>
            {summary.fileError ? <Banner kind="error">{summary.fileError}</Banner> : (
              <ul>
                <li>{summary.rows.length + (summary.problems.length ? ` valid row(s), ${new Set(summary.problems.map((p) => p.row)).size} with problems` : ' rows, all valid')}</li>
                <li data-testid="import-added">New: {summary.added.length ? summary.added.join(', ') : 'none'}</li>
                <li data-testid="import-changed">Changed: {summary.changed.length ? summary.changed.join(', ') : 'none'}</li>
                <li>Unchanged: {summary.unchanged.length}</li>
                <li data-testid="import-removed">Removed (not in the file): {summary.notInFile.length ? summary.notInFile.join(', ') : 'none'}</li>
              </ul>
            )}
            {summary.ok && needsTieOk && (
              <div data-testid="import-ties">
                <Banner kind="warning">
                  {serverTie ?? `These mappings in the file would tie (same priority, different result, may match the same coverage): ${summary.ties.join('; ')}. A tied visit gets CPT-only rules until an administrator chooses.`}
                </Banner>
                <label className="adm-radio">
                  <input type="checkbox" checked={tieOk} onChange={(e) => setTieOk(e.target.checked)} data-testid="import-confirm-tie" />
                  Import them anyway; I will resolve the ties
                </label>
              </div>
            )}
            {summary.ok && summary.notInFile.length > 0 && (
              <label className="adm-radio">
                <input type="checkbox" checked={removalOk} onChange={(e) => setRemovalOk(e.target.checked)} data-testid="import-confirm-removal" />
                I understand that {summary.notInFile.length} mapping{summary.notInFile.length === 1 ? '' : 's'} not in the file will be removed
              </label>
            )}
            <button type="button" className="adm-btn adm-btn--primary" disabled={!summary.ok || busy || (summary.notInFile.length > 0 && !removalOk) || (needsTieOk && !tieOk)} onClick={() => void commit()} data-testid="import-commit">
              {busy ? 'Importing…' : `Import ${summary.rows.length} mapping${summary.rows.length === 1 ? '' : 's'}`}
            </button>
          </div>
        )}
        {problems.length > 0 && (
          <table className="adm-table" data-testid="import-problems">
            <caption>Problems (nothing is imported until every row is valid)</caption>
            <thead><tr><th scope="col">Mapping</th><th scope="col">Field</th><th scope="col">Problem</th></tr></thead>
            <tbody>{problems.map((p, i) => <tr key={i}><td className="adm-num">{p.row || '—'}</td><td>{p.field}</td><td>{p.message}</td></tr>)}</tbody>
          </table>
        )}
      </div>
    </section>
  );
}
