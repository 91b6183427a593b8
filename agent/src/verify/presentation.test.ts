import { randomBytes } from "node:crypto";
import { createJWT, EdDSASigner } from "did-jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initIssuer, issueLicense, suspendLicense } from "../issuer.js";
import { createDoctor, DOMAIN, jwtPresentation, licenseFor, rawJwtPresentation, tempAgent } from "../test/fixtures.js";
import { verifyDoctorPresentation, type VerifyDoctorOptions } from "./presentation.js";

const DAY = 86_400_000;
type TempAgent = Awaited<ReturnType<typeof tempAgent>>;

describe("verifyDoctorPresentation (JWT)", () => {
  let verifier: TempAgent;
  let wallet: TempAgent;
  let issuer: string;
  let doctor: string;
  let license: string;

  beforeAll(async () => {
    verifier = await tempAgent();
    wallet = await tempAgent();
    issuer = (await initIssuer(verifier)).did;
    doctor = (await createDoctor(wallet)).did;
    license = (await issueLicense(verifier, issuer, licenseFor(doctor))).jwt;
  });
  afterAll(async () => {
    await verifier?.dispose();
    await wallet?.dispose();
  });

  const options = (overrides: Partial<VerifyDoctorOptions> = {}): VerifyDoctorOptions => ({ challenge: "c-1", domain: DOMAIN, trustedIssuers: [issuer], ...overrides });
  const codes = async (vp: unknown, overrides: Partial<VerifyDoctorOptions> = {}) =>
    (await verifyDoctorPresentation(verifier, vp, options(overrides))).reasons.map((r) => r.code);

  it("accepts a valid presentation and describes the doctor", async () => {
    const vp = await jwtPresentation(wallet, doctor, [license], "c-1");
    const result = await verifyDoctorPresentation(verifier, vp, options());
    expect(result).toMatchObject({ ok: true, reasons: [] });
    expect(result.doctor).toMatchObject({ did: doctor, name: "Dr. Ada Byron", licenseNumber: "MD-12345", jurisdiction: "US-CA", specialty: { code: "394579002", label: "Cardiology" } });
    expect(Date.parse(result.doctor!.validUntil)).toBeGreaterThan(Date.now() + 300 * DAY);
  });

  it("accepts a did:key holder too", async () => {
    const holder = (await wallet.veramo.didManagerCreate({ provider: "did:key", options: { keyType: "Ed25519" } })).did;
    const credential = (await issueLicense(verifier, issuer, licenseFor(holder))).jwt;
    expect((await verifyDoctorPresentation(verifier, await jwtPresentation(wallet, holder, [credential], "c-1"), options())).ok).toBe(true);
  });

  it("accepts credentials from a did:pkh issuer (ES256K signatures)", async () => {
    const pkhIssuer = (await initIssuer(verifier, "pkh-issuer", "pkh")).did;
    expect(pkhIssuer).toMatch(/^did:pkh:eip155:31337:0x/);
    const credential = (await issueLicense(verifier, pkhIssuer, licenseFor(doctor))).jwt;
    const vp = await jwtPresentation(wallet, doctor, [credential], "c-1");
    expect(await verifyDoctorPresentation(verifier, vp, options({ trustedIssuers: [pkhIssuer] }))).toMatchObject({ ok: true, reasons: [] });
  });

  it("refuses a wrong challenge or domain", async () => {
    expect(await codes(await jwtPresentation(wallet, doctor, [license], "other"))).toEqual(["CHALLENGE_MISMATCH"]);
    expect(await codes(await jwtPresentation(wallet, doctor, [license], "c-1", "evil.test"))).toEqual(["DOMAIN_MISMATCH"]);
  });

  it("refuses a presentation whose signature was tampered with", async () => {
    const vp = await jwtPresentation(wallet, doctor, [license], "c-1");
    const [header, payload, signature] = vp.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    expect(await codes(`${header}.${payload}.${flipped}`)).toEqual(["PRESENTATION_SIGNATURE_INVALID"]);
  });

  it("refuses a credential whose signature was tampered with", async () => {
    const [header, payload, signature] = license.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    claims.vc.credentialSubject.licenseNumber = "FORGED";
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    expect(await codes(await jwtPresentation(wallet, doctor, [forged], "c-1"))).toEqual(["CREDENTIAL_SIGNATURE_INVALID"]);
  });

  it("refuses expired, not yet valid and suspended credentials", async () => {
    const now = Date.now();
    const expired = (await issueLicense(verifier, issuer, licenseFor(doctor, { validFrom: new Date(now - 10 * DAY), validUntil: new Date(now - DAY) }))).jwt;
    const early = (await issueLicense(verifier, issuer, licenseFor(doctor, { validFrom: new Date(now + DAY), validUntil: new Date(now + 10 * DAY) }))).jwt;
    const suspended = await issueLicense(verifier, issuer, licenseFor(doctor));
    await suspendLicense(verifier, suspended.id);
    expect(await codes(await jwtPresentation(wallet, doctor, [expired], "c-1"))).toEqual(["CREDENTIAL_EXPIRED"]);
    expect(await codes(await jwtPresentation(wallet, doctor, [early], "c-1"))).toEqual(["CREDENTIAL_NOT_YET_VALID"]);
    expect(await codes(await jwtPresentation(wallet, doctor, [suspended.jwt], "c-1"))).toEqual(["CREDENTIAL_SUSPENDED"]);
  });

  it("refuses an untrusted issuer, another doctor's credential and a non-license credential", async () => {
    const vp = await jwtPresentation(wallet, doctor, [license], "c-1");
    expect(await codes(vp, { trustedIssuers: [] })).toEqual(["UNTRUSTED_ISSUER"]);
    const other = (await createDoctor(wallet)).did;
    expect(await codes(await jwtPresentation(wallet, other, [license], "c-1"))).toEqual(["SUBJECT_NOT_HOLDER"]);
    const note = await verifier.veramo.createVerifiableCredential({
      proofFormat: "jwt",
      credential: { issuer: { id: issuer }, type: ["VerifiableCredential", "EmploymentCredential"], credentialSubject: { id: doctor, employer: "X" } },
    });
    expect(await codes(await jwtPresentation(wallet, doctor, [note.proof.jwt as string], "c-1"))).toEqual(["WRONG_CREDENTIAL_TYPE"]);
    expect(await codes(await jwtPresentation(wallet, doctor, [], "c-1"))).toEqual(["NO_CREDENTIAL"]);
  });

  it("reports every failing credential of a presentation, each with its index", async () => {
    const other = (await createDoctor(wallet)).did;
    const foreign = (await issueLicense(verifier, issuer, licenseFor(other))).jwt;
    const result = await verifyDoctorPresentation(verifier, await jwtPresentation(wallet, doctor, [license, foreign], "c-1"), options({ trustedIssuers: [] }));
    expect(result.ok).toBe(false);
    expect(result.reasons).toEqual([
      expect.objectContaining({ code: "UNTRUSTED_ISSUER", credential: 0 }),
      expect.objectContaining({ code: "UNTRUSTED_ISSUER", credential: 1 }),
      expect.objectContaining({ code: "SUBJECT_NOT_HOLDER", credential: 1 }),
    ]);
  });

  it("uses challenges once and refuses expired or unknown ones", async () => {
    const first = await verifier.challenges.issue(DOMAIN);
    const vp = await jwtPresentation(wallet, doctor, [license], first.challenge);
    const withStore = { challenge: first.challenge, challengeStore: verifier.challenges };
    expect((await verifyDoctorPresentation(verifier, vp, options(withStore))).ok).toBe(true);
    expect(await codes(vp, withStore)).toEqual(["CHALLENGE_USED"]);
    const unknown = await jwtPresentation(wallet, doctor, [license], "never-issued");
    expect(await codes(unknown, { challenge: "never-issued", challengeStore: verifier.challenges })).toEqual(["CHALLENGE_UNKNOWN"]);
    const { ChallengeStore } = await import("../challenges.js");
    const pastStore = new ChallengeStore(verifier.dataSource, 1000, () => Date.now() - 5000);
    const stale = await pastStore.issue(DOMAIN);
    const staleVp = await jwtPresentation(wallet, doctor, [license], stale.challenge);
    expect(await codes(staleVp, { challenge: stale.challenge, challengeStore: verifier.challenges })).toEqual(["CHALLENGE_EXPIRED"]);
  });

  it("refuses malformed input with a reason and never throws", async () => {
    expect(await codes("not-a-jwt")).toEqual(["MALFORMED_PRESENTATION"]);
    expect(await codes("a.b.c")).toEqual(["MALFORMED_PRESENTATION"]);
    expect(await codes("{broken json")).toEqual(["MALFORMED_PRESENTATION"]);
    expect(await codes({ proof: { type: "Ed25519Signature2020" } })).toEqual(["MALFORMED_PRESENTATION"]);
    for (const junk of [null, undefined, 42, [], {}, true]) expect(await codes(junk)).toEqual(["MALFORMED_PRESENTATION"]);
    for (const credential of ["aaaa.bbbb.cccc", 42, { proof: {} }, "{not json"]) {
      const { jwt } = await rawJwtPresentation(wallet, { verifiableCredential: [credential] }, "c-1");
      expect(await codes(jwt)).toEqual(["MALFORMED_CREDENTIAL"]);
    }
    expect(await codes(await jwtPresentation(wallet, doctor, [license], "c-1"), { challenge: "" })).toEqual(["INVALID_REQUEST"]);
    expect(await codes(await jwtPresentation(wallet, doctor, [license], "c-1"), { trustedIssuers: "x" as never })).toEqual(["INVALID_REQUEST"]);
  });

  it("refuses unknown DID methods and a presentation without a holder", async () => {
    const signer = EdDSASigner(randomBytes(32));
    const vpClaim = { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: [license] };
    const web = await createJWT({ vp: vpClaim, nonce: "c-1", aud: DOMAIN }, { issuer: "did:web:doctor.example", signer }, { alg: "EdDSA" });
    expect(await codes(web)).toEqual(["UNSUPPORTED_DID_METHOD"]);
    const webCredential = await createJWT({ vc: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiableCredential"], credentialSubject: { id: doctor } }, sub: doctor }, { issuer: "did:ethr:0x1", signer }, { alg: "EdDSA" });
    expect(await codes(await jwtPresentation(wallet, doctor, [webCredential], "c-1"))).toEqual(["UNSUPPORTED_DID_METHOD"]);
    const [header, , signature] = web.split(".") as [string, string, string];
    const anonymous = Buffer.from(JSON.stringify({ vp: vpClaim, nonce: "c-1", aud: DOMAIN })).toString("base64url");
    expect(await codes(`${header}.${anonymous}.${signature}`)).toEqual(["MISSING_HOLDER"]);
  });
});
