/**
 * The response schemas of the app's own API, a chunk of their own (with zod): the review's first script and React
 * do not wait for zod to be parsed; the first answer to check (the evaluation) loads them beside its request.
 */
import '../zodJitless'; // first: before any schema parses
export { DraftsResponse, EvaluateResponse, Reservation, VisitStatus } from '../../../server/contracts/index';
