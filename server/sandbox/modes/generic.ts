/** A plain SMART R4 server: every type writable, conditional create and transactions supported. */
import type { VendorMode } from './types.js';

export const genericMode: VendorMode = {
  id: 'generic',
  label: 'Generic SMART',
  accessTokenSeconds: 3600,
  needPatientBanner: true,
  conditionalCreate: true,
  transactions: true,
  refuseWrite: () => ({ status: 405, message: 'Not supported' }),
  adjustScope: (scope) => scope.raw,
  checkWrite: async ({ resource }) => ({ ok: true, resource }),
};
