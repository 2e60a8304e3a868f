/**
 * `npm run build` (after the client): compiles the server to dist/server with esbuild, so production runs it with
 * plain `node dist/server/main.js` — no tsx, no TypeScript at run time, no Node flags. npm packages stay external
 * (loaded from node_modules); the sandbox (and with it Medplum) is its own chunk, loaded only when the sandbox runs.
 * The files the server reads at run time are copied beside the bundle: SQL migrations and the sandbox fixtures.
 */
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/server');
rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'server/main.ts', evaluate: 'server/cli/evaluate.ts', 'evaluation-worker': 'server/http/evaluationWorker.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
// read at run time relative to the bundle (import.meta.dirname = dist/server, or dist/server/chunks for chunks)
for (const dir of ['', 'chunks']) {
  cpSync(path.join(root, 'server/store/migrations'), path.join(out, dir, 'migrations'), { recursive: true });
  cpSync(path.join(root, 'server/sandbox/fixtures'), path.join(out, dir, 'fixtures'), { recursive: true });
}
console.log(`server built: ${path.relative(root, out)}/main.js`);
