/** The patient banner, shown only when the EHR asks for it (need_patient_banner). */
import type { Resource } from '../fhir/types';

interface HumanName { text?: string; given?: string[]; family?: string; use?: string }

export function patientName(p: Resource | undefined): string {
  const names = (p?.name as HumanName[] | undefined) ?? [];
  const n = names.find((x) => x.use === 'official') ?? names[0];
  if (!n) return 'Unknown name';
  return n.text ?? [...(n.given ?? []), n.family].filter(Boolean).join(' ');
}

export function PatientBanner({ patient }: { patient: Resource | undefined }) {
  return (
    <header className="banner" data-testid="patient-banner">
      <strong data-testid="patient-name">{patient ? patientName(patient) : 'Patient details not available'}</strong>
      {patient ? <>
        <span>Born <span data-testid="patient-birth-date">{String(patient.birthDate ?? 'unknown')}</span></span>
        <span>Gender <span data-testid="patient-gender">{String(patient.gender ?? 'unknown')}</span></span>
      </> : null}
    </header>
  );
}
