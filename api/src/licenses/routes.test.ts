import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack.js";
import { licenseBody, present, signPresentation, type IssuedLicense as Issued } from "../../test/doctors.js";
import { SIGN_IN_ENV, signedInUser, type Reply, type User } from "../../test/signed-client.js";

interface Challenge {
  challenge: string;
  domain: string;
  expiresAt: number;
  typedData: { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; message: Record<string, unknown> };
}

const issuerWallet = Wallet.createRandom();
let stack: TestStack;
let issuer: User;

beforeAll(async () => {
  stack = await startTestStack({ ...SIGN_IN_ENV, API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}` });
  issuer = await signedInUser(stack.api.url, issuerWallet);
});

afterAll(async () => {
  await stack?.stop();
});

const roles = async (user: User) => (await user.get<{ roles: string[] }>("/auth/me")).body.roles;
const codes = (reply: Reply) => (reply.body as { detail?: string }).detail?.match(/[A-Z_]+(?=: )/g) ?? [];

describe("licenses: the issuer's routes", () => {
  it("issues a license to a doctor, lists it, and refuses callers without the issuer role", async () => {
    const doctor = await signedInUser(stack.api.url);
    const issued = await issuer.post<Issued>("/licenses", licenseBody(doctor.did));
    expect(issued.status).toBe(201);
    expect(issued.body.license).toMatchObject({ id: issued.body.id, subject: doctor.did, state: "active", specialty: { code: "394579002", label: "Cardiology" } });
    expect(issued.body.jwt.split(".")).toHaveLength(3);

    const listed = await issuer.get<{ issuer: string; licenses: Issued["license"][] }>("/licenses");
    expect(listed.body.issuer).toMatch(/^did:key:z6Mk/);
    expect(listed.body.licenses.map((l) => l.id)).toContain(issued.body.id);

    const mine = await doctor.get<{ licenses: Issued[] }>("/licenses/mine");
    expect(mine.body.licenses).toEqual([expect.objectContaining({ id: issued.body.id, jwt: issued.body.jwt })]);

    const stranger = await doctor.post("/licenses", licenseBody(doctor.did));
    expect(stranger.status).toBe(403);
    expect(stranger.contentType).toMatch(/problem\+json/);
    expect((await doctor.get("/licenses")).status).toBe(403);
    expect((await doctor.post(`/licenses/${issued.body.id}/revoke`, { reason: "not mine to revoke" })).status).toBe(403);
  });

  it("refuses malformed licenses and unknown fields", async () => {
    const doctor = await signedInUser(stack.api.url);
    for (const bad of [
      { ...licenseBody(doctor.did), subject: "alice" },
      { ...licenseBody(doctor.did), specialty: "999999" },
      { ...licenseBody(doctor.did), validUntil: "tomorrow" },
      { ...licenseBody(doctor.did), validUntil: new Date(Date.now() - 1000).toISOString() },
      { ...licenseBody(doctor.did), extra: true },
      // Once a 500 ("253402300799 is not a unix timestamp"): beyond the documented maximum (50 years), 400.
      { ...licenseBody(doctor.did), validUntil: "9999-12-31T23:59:59Z" },
      { ...licenseBody(doctor.did), validUntil: new Date(Date.now() + 51 * 365 * 86_400_000).toISOString() },
    ]) {
      const reply = await issuer.post("/licenses", bad);
      expect(reply.status, JSON.stringify(bad)).toBe(400);
      expect(reply.body).toMatchObject({ code: "INVALID_REQUEST" });
    }
  });

  it("refuses the same license number again for the same doctor with 409, unless the issuer asks to reissue", async () => {
    const doctor = await signedInUser(stack.api.url);
    const first = await issuer.post<Issued>("/licenses", licenseBody(doctor.did));
    expect(first.status).toBe(201);
    const again = await issuer.post("/licenses", licenseBody(doctor.did));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "LICENSE_EXISTS", detail: expect.stringContaining(first.body.id) });
    expect((await issuer.post("/licenses", { ...licenseBody(doctor.did), reissue: false })).status).toBe(409);
    const replacement = await issuer.post<Issued>("/licenses", { ...licenseBody(doctor.did), reissue: true });
    expect(replacement.status).toBe(201);
    // Another number for the same doctor is no slip.
    expect((await issuer.post("/licenses", { ...licenseBody(doctor.did), licenseNumber: "MD-9999" })).status).toBe(201);
    const listed = await issuer.get<{ licenses: (Issued["license"] & { licenseNumber: string })[] }>("/licenses");
    expect(listed.body.licenses.filter((l) => l.subject === doctor.did && l.licenseNumber === "MD-4711")).toHaveLength(2);
    const audit = await doctor.get<{ entries: { action: string; decision: string; refs: { reason?: string } }[] }>(`/audit?subject=${encodeURIComponent(doctor.did)}`);
    expect(audit.body.entries.filter((e) => e.action === "license.issue").map((e) => e.decision)).toEqual(["accepted", "refused", "refused", "accepted", "accepted"]);
  });

  it("serves the status lists the credentials point at", async () => {
    const doctor = await signedInUser(stack.api.url);
    const { body } = await issuer.post<Issued>("/licenses", licenseBody(doctor.did));
    const payload = JSON.parse(Buffer.from(body.jwt.split(".")[1]!, "base64url").toString()) as { vc: { credentialStatus: { statusListCredential: string }[] } };
    const listId = payload.vc.credentialStatus[0]!.statusListCredential.split("/").pop()!;
    const list = await fetch(`${stack.api.url}/credentials/status/${listId}`);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toMatch(/application\/vc\+jwt/);
    expect((await list.text()).split(".")).toHaveLength(3);
    expect((await fetch(`${stack.api.url}/credentials/status/nope`)).status).toBe(404);
  });
});

describe("licenses: a doctor presents in this session", () => {
  it("makes the session a doctor's after a wallet-signed EIP-712 presentation, and shows the doctor publicly", async () => {
    const doctor = await signedInUser(stack.api.url);
    const { body } = await issuer.post<Issued>("/licenses", licenseBody(doctor.did));
    expect(await roles(doctor)).toEqual(["patient"]);
    expect((await fetch(`${stack.api.url}/doctors/${doctor.did}`)).status).toBe(404);

    const accepted = await present(doctor, body.jwt);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ doctor: { did: doctor.did, licenseNumber: "MD-4711", jurisdiction: "US-CA" } });
    expect(await roles(doctor)).toContain("doctor");

    // An API token carries the session key: it keeps the role.
    const token = await doctor.post<{ token: string; roles: string[] }>("/auth/token");
    expect(token.body.roles).toContain("doctor");

    // Another session of the same wallet has not presented: it is no doctor.
    const otherSession = await signedInUser(stack.api.url, doctor.wallet);
    expect(await roles(otherSession)).toEqual(["patient"]);

    // The checksummed form of the address names the same doctor.
    expect((await fetch(`${stack.api.url}/doctors/did:pkh:eip155:31337:${doctor.wallet.address}`)).status).toBe(200);
    const shown = (await (await fetch(`${stack.api.url}/doctors/${doctor.did}`)).json()) as { doctor: { did: string }; verifiedAt: string };
    expect(shown.doctor.did).toBe(doctor.did);
    expect(Date.parse(shown.verifiedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("refuses a replayed presentation, another wallet's signature, another holder and someone else's license; audits each", async () => {
    const doctor = await signedInUser(stack.api.url);
    const { body } = await issuer.post<Issued>("/licenses", licenseBody(doctor.did));
    const challenge = await doctor.post<Challenge>("/licenses/challenges", { credential: body.jwt });
    const signed = { typedData: challenge.body.typedData, signature: await signPresentation(doctor.wallet, challenge.body.typedData) };
    expect((await doctor.post("/licenses/presentations", signed)).status).toBe(200);
    const replay = await doctor.post("/licenses/presentations", signed);
    expect(replay.status).toBe(403);
    expect(replay.body).toMatchObject({ code: "LICENSE_REFUSED" });
    expect(codes(replay)).toEqual(["CHALLENGE_USED"]);

    const forged = await present(doctor, body.jwt, Wallet.createRandom());
    expect(codes(forged)).toEqual(["PRESENTATION_SIGNATURE_INVALID"]);

    // A thief who signed in with their own wallet and presents the doctor's license: not the subject.
    const thief = await signedInUser(stack.api.url);
    const stolen = await present(thief, body.jwt);
    expect(stolen.status).toBe(403);
    expect(codes(stolen)).toEqual(["SUBJECT_NOT_HOLDER"]);
    expect(await roles(thief)).toEqual(["patient"]);

    // The doctor's signed typed data sent by someone else's session.
    const fresh = await doctor.post<Challenge>("/licenses/challenges", { credential: body.jwt });
    const relayed = await thief.post("/licenses/presentations", { typedData: fresh.body.typedData, signature: await signPresentation(doctor.wallet, fresh.body.typedData) });
    expect(codes(relayed)).toEqual(["HOLDER_NOT_CALLER"]);

    const audit = await thief.get<{ entries: { action: string; decision: string; refs: { reasons?: string[] } }[] }>(`/audit?subject=${encodeURIComponent(thief.did)}`);
    const refusals = audit.body.entries.filter((e) => e.action === "license.present" && e.decision === "refused").map((e) => e.refs.reasons);
    expect(refusals).toEqual([["SUBJECT_NOT_HOLDER"], ["HOLDER_NOT_CALLER"]]);
  });

  it("ends the doctor role and the public view when the issuer revokes the license", async () => {
    const doctor = await signedInUser(stack.api.url);
    const { body } = await issuer.post<Issued>("/licenses", licenseBody(doctor.did));
    expect((await present(doctor, body.jwt)).status).toBe(200);
    expect(await roles(doctor)).toContain("doctor");
    expect((await fetch(`${stack.api.url}/doctors/${doctor.did}`)).status).toBe(200);

    // Revocation is final: it takes a reason, kept in the audit log.
    for (const bad of [undefined, {}, { reason: "" }, { reason: "   " }]) {
      const refused = await issuer.post(`/licenses/${body.id}/revoke`, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await roles(doctor)).toContain("doctor");
    const revoked = await issuer.post<{ license: { state: string } }>(`/licenses/${body.id}/revoke`, { reason: "license withdrawn by the board" });
    expect(revoked.status).toBe(200);
    const audit = await doctor.get<{ entries: { action: string; refs: { reason?: string } }[] }>(`/audit?subject=${encodeURIComponent(doctor.did)}`);
    expect(audit.body.entries.find((e) => e.action === "license.revoke")?.refs.reason).toBe("license withdrawn by the board");
    expect(revoked.body.license.state).toBe("revoked");

    // The revoke route ends the trust in earlier status checks at once (no waiting for the re-check period).
    expect(await roles(doctor)).toEqual(["patient"]);
    const shown = await fetch(`${stack.api.url}/doctors/${doctor.did}`);
    expect(shown.status).toBe(403);
    expect(await shown.json()).toMatchObject({ code: "LICENSE_REFUSED", detail: expect.stringMatching(/^CREDENTIAL_REVOKED/) });
    expect(codes(await present(doctor, body.jwt))).toEqual(["CREDENTIAL_REVOKED"]);
    const listed = await issuer.get<{ licenses: Issued["license"][] }>("/licenses");
    expect(listed.body.licenses.find((l) => l.id === body.id)?.state).toBe("revoked");
    expect((await issuer.post(`/licenses/urn:uuid:${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}/revoke`, { reason: "no such license" })).status).toBe(404);
  });

  it("refuses malformed presentations with 400", async () => {
    const doctor = await signedInUser(stack.api.url);
    expect((await doctor.post("/licenses/presentations", { presentation: "not-a-jwt" })).status).toBe(400);
    expect((await doctor.post("/licenses/presentations", { typedData: {}, signature: "0x12" })).status).toBe(400);
    expect((await doctor.post("/licenses/challenges", { credential: "x" })).status).toBe(400);
    expect((await fetch(`${stack.api.url}/licenses/challenges`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ credential: "a.b.c" }) })).status).toBe(401);
  });
});
