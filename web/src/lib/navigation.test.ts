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

  it("titles each page with its role", () => {
    expect(documentTitle("Sharing", "patient")).toBe("Sharing · Patient · OpenChart");
    expect(documentTitle("Page not found")).toBe("Page not found · OpenChart");
  });

  it("starts every role's navigation with its home page", () => {
    for (const role of Object.values(ROLES)) expect(role.sections[0]!.path).toBe(role.home);
  });
});
