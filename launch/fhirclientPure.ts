/**
 * fhirclient's prebuilt "pure" browser bundle (no polyfills; ~18 KB gzip vs ~25 KB for the CommonJS entry,
 * whose polyfill switch is a global Vite does not set). It installs window.FHIR; both pages share this chunk.
 */
import 'fhirclient/build/fhir-client.pure.min.js';
import type FHIRNamespace from 'fhirclient';

export const FHIR = (window as unknown as { FHIR: typeof FHIRNamespace }).FHIR;
