// The app's pages, per role: one table that the header, each role's section navigation, the page titles
// and the breadcrumbs read, so a new page (e.g. guardian recovery under Settings) is one line here plus
// its route in routes.ts.

/** The roles of the header, and "account": pages every signed-in user has (settings, guardians, recovery). */
export type Role = "patient" | "doctor" | "pharmacy" | "issuer" | "auditor" | "account";

export interface Section {
  /** Hash path, e.g. "/patient/sharing". */
  path: string;
  /** The section's name in the navigation and page title. */
  label: string;
  /** The navigation shows the count of new notifications beside it. */
  badge?: boolean;
}

export interface RoleInfo {
  label: string;
  /** The role's first page. */
  home: string;
  sections: readonly Section[];
}

export const ROLES: Record<Role, RoleInfo> = {
  patient: {
    label: "Patient",
    home: "/patient",
    sections: [
      { path: "/patient", label: "Records" },
      { path: "/patient/sharing", label: "Sharing" },
      { path: "/patient/requests", label: "Requests" },
      { path: "/patient/notes", label: "Notes" },
      { path: "/patient/prescriptions", label: "Prescriptions" },
      { path: "/patient/appointments", label: "Appointments" },
      { path: "/patient/assistant", label: "Assistant" },
      { path: "/patient/links", label: "Health links" },
      { path: "/patient/activity", label: "Activity", badge: true },
      { path: "/patient/anchor", label: "Anchor" },
      { path: "/patient/profile", label: "Profile" },
      { path: "/patient/export", label: "Export" },
      { path: "/doctors", label: "Find a doctor" },
    ],
  },
  doctor: {
    label: "Doctor",
    home: "/doctor",
    sections: [
      { path: "/doctor", label: "Shared with you" },
      { path: "/doctor/appointments", label: "Appointments" },
      { path: "/doctor/requests", label: "Ask for access" },
      { path: "/doctor/prescribe", label: "Prescribe" },
      { path: "/doctor/license", label: "License" },
    ],
  },
  pharmacy: {
    label: "Pharmacy",
    home: "/pharmacy",
    sections: [{ path: "/pharmacy", label: "Verify and dispense" }],
  },
  issuer: {
    label: "Issuer",
    home: "/issuer",
    sections: [
      { path: "/issuer", label: "Licenses" },
      { path: "/issuer/issue", label: "Issue a license" },
    ],
  },
  auditor: {
    label: "Auditor",
    home: "/auditor",
    sections: [
      { path: "/auditor", label: "Verify a document" },
      { path: "/auditor/consent", label: "Check a consent" },
    ],
  },
  account: {
    label: "Account",
    home: "/settings",
    sections: [
      { path: "/settings", label: "Settings" },
      { path: "/guardian", label: "Guardian duty" },
      { path: "/recovery", label: "Recovery" },
    ],
  },
};

export const ROLE_NAMES = Object.keys(ROLES) as Role[];

const firstSegment = (path: string) => path.split("/")[1] ?? "";

/** The role a hash path belongs to ("/patient/records/x" -> "patient", "/guardian" -> "account"), or undefined (home, unknown). */
export function roleOf(path: string): Role | undefined {
  const first = firstSegment(path);
  if (!first) return undefined;
  return ROLE_NAMES.find((role) => ROLES[role].sections.some((s) => firstSegment(s.path) === first));
}

/** The section a path is in: the longest section path that is the path or a parent of it. */
export function sectionOf(path: string): Section | undefined {
  const role = roleOf(path);
  if (!role) return undefined;
  const matches = ROLES[role].sections.filter((s) => path === s.path || path.startsWith(`${s.path}/`));
  return matches.sort((a, b) => b.path.length - a.path.length)[0];
}

export interface Crumb {
  label: string;
  /** Absent for the current page. */
  path?: string;
}

/**
 * Breadcrumbs for a page below a section: the role, the section, then the page
 * itself (e.g. Patient › Records › Blood panel). Pages one level deep get none: the navigation says it all.
 */
export function breadcrumbs(path: string, pageTitle: string): Crumb[] {
  const role = roleOf(path);
  const section = sectionOf(path);
  if (!role || !section || section.path === path) return [];
  return [{ label: ROLES[role].label, path: ROLES[role].home }, { label: section.label, path: section.path }, { label: pageTitle }];
}

/** The document title: "Sharing · Patient · OpenChart". */
export function documentTitle(pageTitle: string, role?: Role): string {
  return [pageTitle, role ? ROLES[role].label : undefined, "OpenChart"].filter(Boolean).join(" · ");
}
