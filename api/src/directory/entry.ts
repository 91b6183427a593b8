import type { DirectoryEntry } from "@openchart/sdk";
import type { DoctorStanding } from "../licenses/licensed-sessions.js";
import { normalizeDid } from "../licenses/licensed-sessions.js";

/** The directory's view of a verified doctor: public professional data only. Null when the license names no one. */
export function directoryEntryOf(standing: DoctorStanding, listedAt: number): DirectoryEntry | null {
  const { doctor } = standing.verified;
  if (!doctor.name) return null;
  return { did: normalizeDid(doctor.did), name: doctor.name, specialty: doctor.specialty, jurisdiction: doctor.jurisdiction, listedAt: new Date(listedAt).toISOString() };
}
