import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { builtEntry } from "@openchart/testkit/built";

// The bundled CLI the `openchart` bin runs (`npm test` builds first).
const MAIN = builtEntry("sdk", "bundle/cli.js");
const NOTE =
  "Patient Maria Gonzalez, born 03/14/1962, MRN 00458812, SSN 123-45-6789, lives at 42 Elm Street, Springfield IL 62704. " +
  "Dr. John Smith at St. Mary's Hospital. Her daughter Ana Gonzalez called on 2026-11-02 from maria.g@example.com. " +
  "Insurance ID XKJ-4471-9920. IP 192.168.4.17. Crohn's disease, Down syndrome, on metformin 500 mg.";

function redact(input: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [MAIN, "redact", ...args], { input, encoding: "utf8" });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe("openchart redact", () => {
  it("reads text on stdin and writes it de-identified on stdout, clinical words kept", () => {
    const { status, out } = redact(NOTE, "--shift", "7");
    expect(status).toBe(0);
    expect(out).toBe(
      "Patient [NAME_1], born [DATE:1962-03-21], MRN [MRN_1], SSN [SSN_1], lives at [STREET_1], [CITY_1] IL [ZIP_1]. " +
        "Dr. [NAME_2] at [FACILITY_1]. Her daughter [NAME_3] called on [DATE:2026-11-09] from [EMAIL_1]. " +
        "Insurance ID [PLAN_1]. IP [IP_1]. Crohn's disease, Down syndrome, on metformin 500 mg.",
    );
  });

  it("--json prints every span with its class, group, value and placeholder", () => {
    const { status, out } = redact(NOTE, "--json", "--shift", "7");
    expect(status).toBe(0);
    const result = JSON.parse(out) as { dateShiftDays: number; spans: { start: number; end: number; class: string; group: string; value: string; placeholder: string }[] };
    expect(result.dateShiftDays).toBe(7);
    expect(result.spans.map((s) => s.class)).toEqual(["NAME", "DATE", "MRN", "SSN", "STREET", "CITY", "ZIP", "NAME", "FACILITY", "NAME", "DATE", "EMAIL", "PLAN", "IP"]);
    for (const span of result.spans) expect(NOTE.slice(span.start, span.end)).toBe(span.value);
    expect(result.spans.find((s) => s.class === "IP")).toMatchObject({ group: "contacts", value: "192.168.4.17", placeholder: "[IP_1]" });
  });

  it("--rules-only leaves out the trained tagger: a surname only the tagger finds stays", () => {
    const text = "Seen today with Radoslaw Wierzbicki, who reports worsening dyspnoea.";
    expect(redact(text, "--shift", "7").out).toContain("[NAME_1]");
    expect(redact(text, "--shift", "7", "--rules-only").out).toContain("Wierzbicki");
  });

  it("takes the patient's terms as flags: a name no recognizer knows", () => {
    expect(redact("Zxq Vorbl has a cough; Zxq coughs at night.", "--name", "Zxq Vorbl").out).toBe("[NAME_1] has a cough; [NAME_1] coughs at night.");
  });

  it("refuses a bad flag value or text given as an argument, with exit code 2", () => {
    expect(redact("x", "--shift", "soon")).toMatchObject({ status: 2, err: expect.stringMatching(/--shift takes a whole number of days/) });
    expect(redact("x", "--birth-date", "14/03/1962")).toMatchObject({ status: 2, err: expect.stringMatching(/--birth-date takes YYYY-MM-DD/) });
    expect(redact("", "some", "text")).toMatchObject({ status: 2, err: expect.stringMatching(/the text comes on stdin/) });
  });
});
