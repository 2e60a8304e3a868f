import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Two pages: the app (client/index.html) and the tiny SMART launch page (launch/launch.html).
export default defineConfig({
  plugins: [react()],
  // fhirclient's polyfill-free build is imported directly (launch/fhirclientPure.ts): its FHIRCLIENT_PURE switch is
  // a global, not process.env, so a `define` here would not reach it.
  // the record-reading worker (client/src/fhir/reads.worker.ts) as an ES module, like the pages
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { input: { app: 'client/index.html', launch: 'launch/launch.html' } },
  },
});
