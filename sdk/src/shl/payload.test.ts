import { describe, expect, it } from "vitest";
import { encodeShlink, flagsOf, parseShlink, viewerLinkOf, type ShlPayload } from "./payload.js";

const key = "rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q";
const url = `https://api.example.org/shl/m/${"A".repeat(43)}`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("SMART Health Link payloads", () => {
  it("round-trips through shlink:/ and a viewer link, the fragment after '#'", () => {
    const payload: ShlPayload = { url, key, exp: 1_900_000_000, flag: "LP", label: "Allergies for the ER" };
    const shlink = encodeShlink(payload);
    expect(shlink.startsWith("shlink:/")).toBe(true);
    expect(parseShlink(shlink)).toEqual(payload);
    const viewer = viewerLinkOf("https://viewer.example.org/#/old", shlink);
    expect(viewer).toBe(`https://viewer.example.org/#${shlink}`);
    expect(parseShlink(viewer)).toEqual(payload);
    expect(flagsOf(payload)).toEqual(new Set(["L", "P"]));
  });

  it("ignores unknown properties and flags, as the IG asks of receivers", () => {
    const parsed = parseShlink(`shlink:/${b64({ url, key, flag: "LPX", _ext: 1, extension: {} })}`);
    expect(parsed).toEqual({ url, key, flag: "LPX" });
  });

  it.each([
    ["no shlink at all", "https://example.org/#nothing"],
    ["a shlink not right after '#'", `https://example.org/?x=shlink:/${b64({ url, key })}`],
    ["not base64url JSON", "shlink:/%%%"],
    ["a JSON array", `shlink:/${b64([url, key])}`],
    ["no url", `shlink:/${b64({ key })}`],
    ["a non-http url", `shlink:/${b64({ url: "ftp://x.example/m", key })}`],
    ["a 42-character key", `shlink:/${b64({ url, key: key.slice(1) })}`],
    ["a label over 80 characters", `shlink:/${b64({ url, key, label: "x".repeat(81) })}`],
    ["exp not a number", `shlink:/${b64({ url, key, exp: "soon" })}`],
    ["a newer protocol version", `shlink:/${b64({ url, key, v: 2 })}`],
  ])("refuses %s", (_what, text) => {
    expect(() => parseShlink(text)).toThrow(expect.objectContaining({ code: "LINK_INVALID" }));
  });

  it.each([
    ["a url over 128 characters", { url: `https://api.example.org/${"m".repeat(110)}`, key }],
    ["flags out of order", { url, key, flag: "PL" }],
    ["U with P", { url, key, flag: "PU" }],
  ])("will not make a link with %s", (_what, payload) => {
    expect(() => encodeShlink(payload)).toThrow(expect.objectContaining({ code: "LINK_INVALID" }));
  });
});
