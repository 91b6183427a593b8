// The access-log routes against the real API in-process (SQLite, the embedded credential agent, did-sessions
// signed by wallets): reports come from a licensed doctor's session and name that session's DID; a mailbox is
// read only with its token; a suspended doctor is refused and told.
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailboxOfToken, type AccessLog, type Notification } from "@openchart/sdk";
import { licensedDoctor } from "../../test/doctors.js";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";
import { SIGN_IN_ENV, signedInUser, type Reply, type User } from "../../test/signed-client.js";

const issuerWallet = Wallet.createRandom();
let api: InProcessApi;
let issuer: User;

beforeAll(async () => {
  api = await startInProcessApi({ ...SIGN_IN_ENV, API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}` }, { licensing: true });
  issuer = await signedInUser(api.url, issuerWallet);
});
afterAll(async () => {
  await api?.stop();
});

const report = () => ({ ephemeralKey: randomBytes(32).toString("base64url"), viewTag: randomBytes(1).toString("hex"), sealed: randomBytes(600).toString("base64url") });
const newMailbox = () => {
  const token = randomBytes(32).toString("hex");
  return { token, mailbox: mailboxOfToken(token) };
};
const read = async (body: unknown): Promise<Reply<AccessLog & { code?: string }>> => {
  const response = await fetch(`${api.url}/access-log/read`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, contentType: response.headers.get("content-type"), body: (await response.json()) as AccessLog & { code?: string } };
};
const code = (reply: Reply<unknown>) => (reply.body as { code?: string }).code;

describe("POST /access-log/reports and /access-log/read", () => {
  it("files a licensed doctor's sealed report under the session's DID; the token's holder reads it, and no one else", async () => {
    const doctor = await licensedDoctor(api.url, issuer);
    const { token, mailbox } = newMailbox();
    const sealed = report();
    const posted = await doctor.post<{ seq: number; at: number }>("/access-log/reports", { mailbox, report: sealed });
    expect(posted.status).toBe(201);
    const log = await read({ token });
    expect(log.status).toBe(200);
    expect(log.body.entries).toEqual([{ seq: posted.body.seq, at: posted.body.at, by: doctor.did, report: sealed }]);
    // Only newer entries after a seq already seen.
    expect((await read({ token, after: posted.body.seq })).body.entries).toEqual([]);

    // The doctor knows the mailbox (it is in their grant) but not its token: the mailbox itself reads nothing,
    // and the audit route refuses a signed-in caller another subject.
    expect((await read({ token: mailbox })).body.entries).toEqual([]);
    const viaAudit = await doctor.get(`/audit?subject=${encodeURIComponent(`mailbox:${mailbox}`)}`);
    expect(viaAudit.status).toBe(403);
    // Nothing in the mailbox names the patient: the audit subject is the opaque mailbox.
    const stored = await api.store.audit.entries({ subject: `mailbox:${mailbox}`, limit: 10 });
    expect(stored.map((e) => [e.action, e.refs.by])).toEqual([["access.report", doctor.did]]);
  });

  it("takes the reporter from the session, never from the body, and refuses a session with no license", async () => {
    const doctor = await licensedDoctor(api.url, issuer);
    const { token, mailbox } = newMailbox();
    const spoof = await doctor.post("/access-log/reports", { mailbox, report: report(), by: "did:pkh:eip155:31337:0x0000000000000000000000000000000000000001" });
    expect(spoof.status).toBe(400);
    const patient = await signedInUser(api.url);
    const unlicensed = await patient.post("/access-log/reports", { mailbox, report: report() });
    expect([unlicensed.status, code(unlicensed)]).toEqual([403, "LICENSE_REQUIRED"]);
    const unsigned = await fetch(`${api.url}/access-log/reports`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mailbox, report: report() }) });
    expect(unsigned.status).toBe(401);
    expect((await read({ token })).body.entries).toEqual([]);
  });

  it("refuses a suspended doctor's reports until the license is reinstated, and tells the doctor each time", async () => {
    const doctor = await licensedDoctor(api.url, issuer);
    const { token, mailbox } = newMailbox();
    const id = encodeURIComponent(doctor.license.id);
    // Only the issuer suspends.
    expect((await doctor.post(`/licenses/${id}/suspend`)).status).toBe(403);
    const suspended = await issuer.post<{ license: { state: string } }>(`/licenses/${id}/suspend`);
    expect([suspended.status, suspended.body.license.state]).toEqual([200, "suspended"]);
    const refused = await doctor.post("/access-log/reports", { mailbox, report: report() });
    expect([refused.status, code(refused)]).toEqual([403, "LICENSE_REVOKED"]);
    expect((await read({ token })).body.entries).toEqual([]);
    expect((await issuer.post(`/licenses/${id}/reinstate`)).status).toBe(200);
    expect((await doctor.post("/access-log/reports", { mailbox, report: report() })).status).toBe(201);
    const told = (await doctor.get<{ notifications: Notification[] }>("/notifications")).body.notifications;
    expect(told.map((n) => [n.kind, n.credential])).toEqual([
      ["license.reinstated", doctor.license.id],
      ["license.suspended", doctor.license.id],
    ]);
    expect((await issuer.post(`/licenses/${encodeURIComponent("urn:uuid:00000000-0000-4000-8000-000000000000")}/suspend`)).status).toBe(404);

    // Revocation is for good: no report, and neither suspend nor reinstate brings the license back.
    expect((await issuer.post(`/licenses/${id}/revoke`, { reason: "struck off the register" })).status).toBe(200);
    const revoked = await doctor.post("/access-log/reports", { mailbox, report: report() });
    expect([revoked.status, code(revoked)]).toEqual([403, "LICENSE_REVOKED"]);
    for (const verb of ["suspend", "reinstate"]) {
      const answer = await issuer.post(`/licenses/${id}/${verb}`);
      expect([answer.status, code(answer)]).toEqual([403, "LICENSE_REVOKED"]);
    }
    expect((await doctor.get<{ notifications: Notification[] }>("/notifications")).body.notifications[0]?.kind).toBe("license.revoked");
  });

  it.each([
    ["a mailbox that is not 64 hex digits", { mailbox: "ab".repeat(31), report: report() }],
    ["an upper-case mailbox", { mailbox: "AB".repeat(32), report: report() }],
    ["no report", { mailbox: "ab".repeat(32) }],
    ["a report over 4096 characters", { mailbox: "ab".repeat(32), report: { ...report(), sealed: "a".repeat(4097) } }],
    ["a report with a bad one-time key", { mailbox: "ab".repeat(32), report: { ...report(), ephemeralKey: "short" } }],
    ["a report with an extra field", { mailbox: "ab".repeat(32), report: { ...report(), title: "Blood panel" } }],
  ])("refuses a report with %s (400)", async (_name, body) => {
    const doctor = await signedInUser(api.url);
    const answer = await doctor.post("/access-log/reports", body);
    expect([answer.status, code(answer)]).toEqual([400, "INVALID_REQUEST"]);
  });

  it.each([
    ["no token", {}],
    ["a short token", { token: "ab" }],
    ["a negative after", { token: "ab".repeat(32), after: -1 }],
    ["an extra field", { token: "ab".repeat(32), subject: "did:pkh:eip155:31337:0x0000000000000000000000000000000000000001" }],
  ])("refuses a read with %s (400)", async (_name, body) => {
    const answer = await read(body);
    expect([answer.status, answer.body.code]).toEqual([400, "INVALID_REQUEST"]);
  });
});
