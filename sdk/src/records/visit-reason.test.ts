import { describe, expect, it } from "vitest";
import { x25519 } from "@noble/curves/ed25519.js";
import { SEALED_REASON_MAX_CHARS, SEALED_REASON_PATTERN } from "../api/appointments.js";
import { x25519DidKey } from "../crypto/did-key.js";
import { openVisitReason, sealVisitReason } from "./visit-reason.js";

const party = () => {
  const secret = x25519.utils.randomSecretKey();
  return { secret, did: x25519DidKey(x25519.getPublicKey(secret)) };
};

describe("visit reasons", () => {
  const patient = party();
  const doctor = party();
  const stranger = party();

  it("are sealed to the doctor, reopened by the patient as author, and closed to anyone else", async () => {
    const sealed = await sealVisitReason("Chest pain since Tuesday, worse on stairs", doctor.did, patient.secret);
    expect(sealed).toMatch(new RegExp(SEALED_REASON_PATTERN));
    expect(sealed).not.toContain("Chest");
    expect(await openVisitReason(sealed, doctor.secret)).toBe("Chest pain since Tuesday, worse on stairs");
    expect(await openVisitReason(sealed, patient.secret)).toBe("Chest pain since Tuesday, worse on stairs");
    await expect(openVisitReason(sealed, stranger.secret)).rejects.toMatchObject({ code: "WRONG_KEY" });
  });

  it("seal to one length whatever the reason's length, within what the API keeps", async () => {
    const short = await sealVisitReason("Flu", doctor.did, patient.secret);
    const long = await sealVisitReason("é".repeat(500), doctor.did, patient.secret);
    expect(short.length).toBe(long.length);
    expect(long.length).toBeLessThanOrEqual(SEALED_REASON_MAX_CHARS);
  });

  it("refuse an empty or too long reason, and a modified ciphertext", async () => {
    await expect(sealVisitReason("  ", doctor.did, patient.secret)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(sealVisitReason("x".repeat(501), doctor.did, patient.secret)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const sealed = JSON.parse(await sealVisitReason("Flu", doctor.did, patient.secret)) as { sealed: string };
    const parts = JSON.parse(sealed.sealed) as { c: string };
    const jwe = JSON.parse(parts.c) as { ciphertext: string };
    jwe.ciphertext = `${jwe.ciphertext[0] === "A" ? "B" : "A"}${jwe.ciphertext.slice(1)}`;
    const tampered = JSON.stringify({ ...sealed, sealed: JSON.stringify({ ...parts, c: JSON.stringify(jwe) }) });
    await expect(openVisitReason(tampered, doctor.secret)).rejects.toMatchObject({ code: "TAMPERED" });
  });
});
