import { describe, expect, it } from "vitest";
import { decodeText, jsonPreview, MAX_TEXT_CHARS, sandboxedDocument } from "./preview";

describe("record preview", () => {
  it("summarises a FHIR resource and a Bundle's entries", () => {
    const observation = jsonPreview(JSON.stringify({ resourceType: "Observation", id: "hb", status: "final", valueQuantity: { value: 13.5 } }));
    expect(observation.fhir).toEqual({ resourceType: "Observation", id: "hb", facts: [["status", "final"]] });
    expect(observation.pretty).toContain('"value": 13.5');
    const bundle = jsonPreview(JSON.stringify({ resourceType: "Bundle", type: "collection", entry: [{ resource: { resourceType: "Patient" } }, {}] }));
    expect(bundle.fhir?.entries).toEqual(["Patient", "unknown"]);
  });

  it("pretty-prints other JSON without a summary, and throws on bad JSON", () => {
    expect(jsonPreview("[1,2]")).toEqual({ pretty: "[\n  1,\n  2\n]" });
    expect(() => jsonPreview("{oops")).toThrow();
  });

  it("decodes UTF-8 and cuts very long text", () => {
    expect(decodeText(new TextEncoder().encode("Grüße"))).toEqual({ text: "Grüße", truncated: false });
    const long = decodeText(new Uint8Array(MAX_TEXT_CHARS + 5).fill(97));
    expect(long.truncated).toBe(true);
    expect(long.text.length).toBe(MAX_TEXT_CHARS);
  });

  it("puts a web-page record behind a policy that allows no script and no connection", () => {
    const doc = sandboxedDocument("<script>alert(1)</script>");
    expect(doc.indexOf("Content-Security-Policy")).toBeLessThan(doc.indexOf("<script>"));
    expect(doc).toContain("default-src 'none'");
    expect(doc).not.toMatch(/script-src/);
  });
});
