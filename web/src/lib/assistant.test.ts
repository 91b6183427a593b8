import { describe, expect, it } from "vitest";
import { askAssistant } from "@openchart/sdk";
import { Deidentifier } from "@openchart/sdk/deidentify";
import { leavingTheDevice, questionWith, recordText, RECORD_EXCERPT_CHARS } from "./assistant";

describe("the assistant page's rules", () => {
  it("reads text records only, cut to the excerpt length", () => {
    const bytes = new TextEncoder().encode("Hemoglobin 13.2 g/dL");
    expect(recordText("text/plain", bytes)).toEqual({ text: "Hemoglobin 13.2 g/dL", cut: false });
    expect(recordText("application/fhir+json", bytes)).not.toBeNull();
    expect(recordText("application/pdf", bytes)).toBeNull();
    expect(recordText("image/png", bytes)).toBeNull();
    expect(recordText("text/plain", new TextEncoder().encode("x".repeat(RECORD_EXCERPT_CHARS + 10)))).toMatchObject({ cut: true });
  });

  it("previews exactly what askAssistant sends: the same de-identifier gives the same placeholders", async () => {
    const deidentifier = new Deidentifier();
    const messages = [{ role: "user" as const, content: questionWith("Is this normal?", { title: "Blood panel", text: "Patient Maria Gonzalez, seen 2025-02-18 at 12 Elm Street. Hb 13.2" }) }];
    const preview = leavingTheDevice(deidentifier, messages);
    expect(preview[0]!.content).not.toContain("Gonzalez");
    expect(preview[0]!.content).not.toContain("2025-02-18");
    expect(preview[0]!.content).toContain("Hb 13.2");
    let sent: unknown;
    // No server: the call fails after onSend has shown what would leave.
    await askAssistant({} as never, "http://127.0.0.1:9", messages, { deidentifier, onSend: (s) => (sent = s), fetch: () => Promise.reject(new Error("offline")) }).catch(() => undefined);
    expect(sent).toEqual(preview);
  });
});
