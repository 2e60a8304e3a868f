import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Two pages: the app (client/index.html) and the tiny SMART launch page (launch/launch.html).
export default defineConfig({
  plugins: [react()],
  // fhirclient's pure build drops polyfills every supported browser already has.
  define: { 'process.env.FHIRCLIENT_PURE': 'true' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { input: { app: 'client/index.html', launch: 'launch/launch.html' } },
  },
});
