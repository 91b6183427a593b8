import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { x25519DidKey } from "../crypto/did-key.js";
import { x25519PublicKeyOf } from "../crypto/x25519-agreement.js";
import type { ChatEntry } from "../api/consult-call.js";
import { newChatClientId, openChatEntry, sealChatText } from "./chat.js";

const patientSecret = new Uint8Array(randomBytes(32));
const doctorSecret = new Uint8Array(randomBytes(32));
const strangerSecret = new Uint8Array(randomBytes(32));
const doctorKey = x25519DidKey(x25519PublicKeyOf(doctorSecret));

async function entryFromPatient(text: string): Promise<ChatEntry> {
  const clientId = newChatClientId();
  return { seq: 1, from: "patient", clientId, message: await sealChatText(text, clientId, doctorKey, patientSecret, 1000), at: 2000 };
}

describe("consult chat sealing", () => {
  it("the recipient opens it, the author reopens it, and the sealed form holds no text", async () => {
    const entry = await entryFromPatient("my chest hurts since Monday");
    expect(JSON.stringify(entry.message)).not.toContain("chest");
    expect(await openChatEntry(entry, "doctor", doctorSecret)).toMatchObject({ text: "my chest hurts since Monday", mine: false, from: "patient", sentAt: 1000, storedAt: 2000 });
    expect(await openChatEntry(entry, "patient", patientSecret)).toMatchObject({ text: "my chest hurts since Monday", mine: true });
  });

  it("a third key opens nothing", async () => {
    const entry = await entryFromPatient("private");
    await expect(openChatEntry(entry, "doctor", strangerSecret)).rejects.toMatchObject({ code: "TAMPERED" });
    await expect(openChatEntry(entry, "patient", strangerSecret)).rejects.toMatchObject({ code: "WRONG_KEY" });
  });

  it("a message filed under another client ID (moved by the server) is refused", async () => {
    const entry = await entryFromPatient("first");
    await expect(openChatEntry({ ...entry, clientId: newChatClientId() }, "doctor", doctorSecret)).rejects.toMatchObject({ code: "TAMPERED" });
  });

  it("refuses empty, too long and badly identified messages before sealing", async () => {
    await expect(sealChatText("  ", newChatClientId(), doctorKey, patientSecret)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(sealChatText("x".repeat(4001), newChatClientId(), doctorKey, patientSecret)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(sealChatText("hi", "short", doctorKey, patientSecret)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(newChatClientId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
