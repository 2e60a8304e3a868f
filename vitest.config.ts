import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Medplum (sandbox) needs a global WebSocket at load; Node 20 has none without a flag (see the file)
    setupFiles: ['server/websocket-global.ts'],
    include: ['server/**/*.test.ts', 'client/**/*.test.{ts,tsx}', 'launch/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // end-to-end suites start servers and browsers; two cores only
    maxWorkers: 2,
  },
});
