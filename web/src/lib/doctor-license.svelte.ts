// The license the doctor presented in this tab's session: the license page shows it after moving away and back.
import type { VerifiedDoctor } from "./licenses";

export const doctorLicense = $state<{ verified: VerifiedDoctor | null }>({ verified: null });
