/** The write-back action: drafts from the server, then the vendor adapter; one write at a time. */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { DraftRequest } from '../../../server/contracts/index';
import { createDrafts, createLedger } from '../api/drafts';
import { writeErrorToWords, type Words } from '../errors';
import type { Launch } from '../smart/session';
import { adapterFor } from '../writeback/adapters';
import type { Plan, WriteResult } from '../writeback/types';
import type { LoadedVisit } from './loadVisit';

export type WriteState =
  | { status: 'idle' }
  | { status: 'writing' }
  | { status: 'done'; result: WriteResult; attempt: number }
  | { status: 'error'; words: Words; attempt: number };

export function useWriteBack(launch: Launch, visit: LoadedVisit) {
  const adapter = useMemo(() => adapterFor(visit.vendor), [visit.vendor]);
  const plan: Plan = useMemo(
    () => adapter.describe(visit.capability, visit.scopes, { encounterId: launch.token.encounter }),
    [adapter, visit.capability, visit.scopes, launch.token.encounter],
  );
  const [state, setState] = useState<WriteState>({ status: 'idle' });
  const busy = useRef(false);
  const attempts = useRef(0);

  const write = useCallback(async (request: Omit<DraftRequest, 'launchId' | 'author'>) => {
    if (busy.current) return;
    const idToken = launch.token.id_token;
    if (!idToken || !launch.fhirUser) {
      setState({ status: 'error', attempt: ++attempts.current, words: { message: 'The EHR did not say who you are (no id_token with fhirUser), so the app cannot sign the drafts.', next: 'Ask your administrator to grant the "openid fhirUser" scopes, then relaunch.' } });
      return;
    }
    busy.current = true;
    setState({ status: 'writing' });
    try {
      const drafts = await createDrafts({ ...request, launchId: launch.stateKey, author: { reference: launch.fhirUser } }, idToken);
      const result = await adapter.write(drafts, {
        fhir: visit.port,
        ledger: createLedger(launch.serverUrl, idToken),
        plan,
        patientId: launch.token.patient,
        encounterId: launch.token.encounter,
        fhirUser: launch.fhirUser,
      });
      setState({ status: 'done', result, attempt: ++attempts.current });
    } catch (err) {
      setState({ status: 'error', words: writeErrorToWords(err), attempt: ++attempts.current });
    } finally {
      busy.current = false;
    }
  }, [adapter, launch, plan, visit.port]);

  return { plan, state, write };
}
