/** The dedicated worker that reads the record off the page's main thread (see readServer.ts). */
import { serveReads, type WorkerScope } from './readServer';

serveReads(self as unknown as WorkerScope);
