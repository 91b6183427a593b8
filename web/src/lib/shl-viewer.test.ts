import { describe, expect, it } from "vitest";
import { linkInHash } from "./shl-hash";
import { previewsOf, readLink } from "./shl-viewer";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const key = "rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q";
const shlink = `shlink:/${btoa(JSON.stringify({ url: "https://api.example.org/shl/m/x", key, flag: "P", label: "For the ER" })).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;

describe("the SMART Health Links viewer's reading", () => {
  it("finds a link in the page's fragment only when it is a shlink (hash routes start with '/')", () => {
    expect(linkInHash(`#${shlink}`)).toBe(shlink);
    expect(linkInHash("#/patient/links")).toBeNull();
    expect(readLink(`https://viewer.example.org/#${shlink}`)).toEqual({ payload: { url: "https://api.example.org/shl/m/x", key, flag: "P", label: "For the ER" } });
    expect(readLink("shlink:/not-json")).toEqual({ error: expect.stringContaining("not a SMART Health Link this viewer can open") });
  });

  it("shows each FHIR resource, each inline attachment on its own, and other files as JSON", () => {
    const bundle = { resourceType: "Bundle", entry: [{ resource: { resourceType: "Observation", status: "final" } }, { resource: { resourceType: "DocumentReference", content: [{ attachment: { contentType: "text/plain", title: "Letter", data: btoa("Allergic to penicillin") } }] } }] };
    const previews = previewsOf([
      { contentType: "application/fhir+json", bytes: new TextEncoder().encode(JSON.stringify(bundle)) },
      { contentType: "application/smart-health-card", bytes: new TextEncoder().encode('{"verifiableCredential":[]}') },
    ]);
    expect(previews.map((p) => [p.title, p.mediaType])).toEqual([
      ["Observation", "application/fhir+json"],
      ["DocumentReference", "application/fhir+json"],
      ["Letter", "text/plain"],
      ["File 2 (application/smart-health-card)", "application/json"],
    ]);
    expect(text(previews[2]!.bytes)).toBe("Allergic to penicillin");
  });
});
