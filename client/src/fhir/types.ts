/** The few FHIR shapes the client touches (the server validates the Bundle fully). */
export interface Reference { reference?: string; display?: string }
export interface Resource { resourceType: string; id?: string; [key: string]: unknown }
export interface BundleEntry { fullUrl?: string; resource?: Resource; search?: { mode?: string } }
export interface Bundle extends Resource { resourceType: 'Bundle'; type: string; entry?: BundleEntry[]; link?: { relation: string; url: string }[] }
