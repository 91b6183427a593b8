import { describe, expect, it } from "vitest";
import { breadcrumbs, documentTitle, ROLES, roleOf, sectionOf } from "./navigation";

describe("navigation", () => {
  it("finds the role and the section of a path, the longest section first", () => {
    expect(roleOf("/patient/records/kjzl6")).toBe("patient");
    expect(roleOf("/")).toBeUndefined();
    expect(roleOf("/nowhere")).toBeUndefined();
    expect(roleOf("/guardian")).toBe("account");
    expect(sectionOf("/recovery")?.label).toBe("Recovery");
    expect(sectionOf("/patient/sharing")?.label).toBe("Sharing");
    expect(sectionOf("/patient/records/kjzl6")?.label).toBe("Records");
    expect(sectionOf("/patient/sharingx")?.label).toBe("Records");
  });

  it("gives breadcrumbs only below a section", () => {
    expect(breadcrumbs("/patient/sharing", "Sharing")).toEqual([]);
    expect(breadcrumbs("/patient/records/kjzl6", "Blood panel")).toEqual([
      { label: "Patient", path: "/patient" },
      { label: "Records", path: "/patient" },
      { label: "Blood panel" },
    ]);
  });

  it("puts the doctor directory and profiles under the patient's pages, apart from the doctor's own", () => {
    expect(roleOf("/doctors")).toBe("patient");
    expect(roleOf("/doctors/did%3Apkh%3Aeip155%3A31337%3A0xab")).toBe("patient");
    expect(roleOf("/doctor/license")).toBe("doctor");
    expect(breadcrumbs("/doctors/did%3Apkh", "Dr. Grace Hopper")).toEqual([
      { label: "Patient", path: "/patient" },
      { label: "Find a doctor", path: "/doctors" },
      { label: "Dr. Grace Hopper" },
    ]);
    expect(sectionOf("/patient/profile")?.label).toBe("Profile");
  });

  it("titles each page with its role", () => {
    expect(documentTitle("Sharing", "patient")).toBe("Sharing · Patient · OpenChart");
    expect(documentTitle("Page not found")).toBe("Page not found · OpenChart");
  });

  it("starts every role's navigation with its home page", () => {
    for (const role of Object.values(ROLES)) expect(role.sections[0]!.path).toBe(role.home);
  });
});
