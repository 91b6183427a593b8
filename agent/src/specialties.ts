import type { Specialty } from "@openchart/sdk/api";

/** A specialty as a code from a terminology and a human label: the wire shape, declared in the sdk. */
export type { Specialty };

export const SNOMED_CT = "http://snomed.info/sct";

/**
 * Common doctor specialties from SNOMED CT's practice-setting codes (the FHIR "practice setting code"
 * value set), so the CLI can take just a code. Other codes need an explicit label.
 */
export const KNOWN_SPECIALTIES: Readonly<Record<string, string>> = {
  "394576009": "Accident & emergency",
  "394577000": "Anesthetics",
  "394579002": "Cardiology",
  "394582007": "Dermatology",
  "394583002": "Endocrinology",
  "394584008": "Gastroenterology",
  "394585009": "Obstetrics and gynecology",
  "394589003": "Nephrology",
  "394591006": "Neurology",
  "394594003": "Ophthalmology",
  "394587001": "Psychiatry",
  "394537008": "Pediatric specialty",
  "394609007": "General surgery",
  "394612005": "Urology",
  "394802001": "General medicine",
  "394814009": "General practice",
  "394914008": "Radiology",
};

/** The specialty for a code, with the label given or the known one; null when neither exists. */
export function specialtyFor(code: string, label?: string): Specialty | null {
  const known = KNOWN_SPECIALTIES[code];
  const chosen = label?.trim() || known;
  return chosen ? { system: SNOMED_CT, code, label: chosen } : null;
}
