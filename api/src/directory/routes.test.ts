import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";
import { licenseBody, present, signPresentation, type IssuedLicense } from "../../test/doctors.js";
import { SIGN_IN_ENV, signedInUser, type Reply, type User } from "../../test/signed-client.js";

interface Challenge {
  typedData: { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; message: Record<string, unknown> & { proof: Record<string, string> } };
}
interface Entry {
  did: string;
  name: string;
  specialty: { code: string; label: string };
  jurisdiction: string;
  listedAt: string;
}
interface Page {
  doctors: Entry[];
  next?: string;
}

const SEARCHES_PER_MINUTE = 60;
const issuerWallet = Wallet.createRandom();
let api: InProcessApi;
let issuer: User;

beforeAll(async () => {
  api = await startInProcessApi(
    {
      ...SIGN_IN_ENV,
      API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}`,
      API_LICENSE_RECHECK_SECONDS: "0",
      API_DIRECTORY_RECHECK_SECONDS: "1",
      API_DIRECTORY_RATE_LIMIT_PER_MINUTE: String(SEARCHES_PER_MINUTE),
    },
    { licensing: true },
  );
  issuer = await signedInUser(api.url, issuerWallet);
});

afterAll(async () => {
  await api?.stop();
});

const search = async (query: string): Promise<Reply<Page>> => {
  const response = await fetch(`${api.url}/directory${query}`);
  return { status: response.status, contentType: response.headers.get("content-type"), body: (await response.json()) as Page };
};
const names = (page: Reply<Page>) => page.body.doctors.map((d) => d.name);
const profileOf = async (did: string) => {
  const response = await fetch(`${api.url}/doctors/${did}`);
  return { status: response.status, body: (await response.json()) as { doctor?: { name?: string }; listed?: boolean; code?: string; detail?: string } };
};

/** A doctor whose license (with `overrides`) this API verified, opted in to the directory. */
async function listedDoctor(overrides: Record<string, unknown>): Promise<User & { license: IssuedLicense }> {
  const doctor = await signedInUser(api.url);
  const issued = await issuer.post<IssuedLicense>("/licenses", { ...licenseBody(doctor.did), ...overrides });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  expect((await present(doctor, issued.body.jwt)).status).toBe(200);
  const listed = await doctor.put<{ listed: boolean; entry: Entry }>("/directory/me", { listed: true });
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return Object.assign(doctor, { license: issued.body });
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the doctor directory", () => {
  let hopper: User & { license: IssuedLicense };
  let osler: User & { license: IssuedLicense };
  let lister: User & { license: IssuedLicense };

  beforeAll(async () => {
    hopper = await listedDoctor({ name: "Dr. Grace Hopper", specialty: "394579002" });
    osler = await listedDoctor({ name: "Dr. William Osler", specialty: "394802001", jurisdiction: "CA-ON" });
    lister = await listedDoctor({ name: "Dr. Joseph Lister", specialty: "394579002" });
  });

  it("lists the doctors who opted in, searchable by name and by specialty (code or words of its label), with public professional data only", async () => {
    expect(names(await search("?q=hopper"))).toEqual(["Dr. Grace Hopper"]);
    expect(names(await search("?q=GRACE%20cardio"))).toEqual(["Dr. Grace Hopper"]);
    expect(names(await search("?specialty=394579002"))).toEqual(["Dr. Grace Hopper", "Dr. Joseph Lister"]);
    expect(names(await search("?q=cardiology"))).toEqual(["Dr. Grace Hopper", "Dr. Joseph Lister"]);
    expect(names(await search("?q=general%20osler"))).toEqual(["Dr. William Osler"]);
    expect(names(await search("?q=nobody"))).toEqual([]);
    // A LIKE wildcard in a search matches itself, not everything.
    expect(names(await search("?q=%25"))).toEqual([]);
    const page = await search("?q=osler");
    expect(page.body.doctors[0]).toEqual({ did: osler.did, name: "Dr. William Osler", specialty: expect.objectContaining({ code: "394802001" }), jurisdiction: "CA-ON", listedAt: expect.any(String) });
    // Nothing but who the doctor is: no license number, no patients, no counts.
    expect(Object.keys(page.body.doctors[0]!).sort()).toEqual(["did", "jurisdiction", "listedAt", "name", "specialty"]);
    expect(Object.keys(page.body).sort()).toEqual(["doctors"]);
  });

  it("pages through the results by name with an opaque cursor, and refuses a forged one", async () => {
    const first = await search("?q=dr.&limit=2");
    expect(names(first)).toEqual(["Dr. Grace Hopper", "Dr. Joseph Lister"]);
    expect(first.body.next).toEqual(expect.any(String));
    // Query strings are logged: the cursor names no DID, not even encoded.
    expect(Buffer.from(first.body.next!, "base64url").toString()).not.toMatch(/did:|0x[0-9a-f]{40}/);
    const second = await search(`?q=dr.&limit=2&cursor=${first.body.next}`);
    expect(names(second)).toEqual(["Dr. William Osler"]);
    expect(second.body.next).toBeUndefined();
    for (const bad of ["?cursor=nope", `?cursor=${Buffer.from('["a"]').toString("base64url")}`, "?limit=0", "?limit=51", "?specialty=bad%20code!", `?q=${"x".repeat(101)}`, "?sort=name"]) {
      const refused = await search(bad);
      expect(refused.status, bad).toBe(400);
      expect(refused.body).toMatchObject({ code: "INVALID_REQUEST" });
    }
  });

  it("shows a listed doctor's profile to anyone, with the doctor offline: name, license, listed", async () => {
    const shown = await profileOf(hopper.did);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ doctor: { did: hopper.did, name: "Dr. Grace Hopper", licenseNumber: "MD-4711" }, listed: true });
  });

  it("takes a doctor out when they opt out, and in again when they opt in", async () => {
    expect((await osler.put("/directory/me", { listed: false })).body).toEqual({ listed: false });
    expect(names(await search("?q=osler"))).toEqual([]);
    expect((await profileOf(osler.did)).body).toMatchObject({ listed: false, doctor: { name: "Dr. William Osler" } });
    expect((await osler.put("/directory/me", { listed: false })).status).toBe(200);
    expect((await osler.put("/directory/me", { listed: true })).status).toBe(200);
    expect(names(await search("?q=osler"))).toEqual(["Dr. William Osler"]);
    expect((await osler.put("/directory/me", { listed: "yes" })).status).toBe(400);
    const audit = await osler.get<{ entries: { action: string; decision: string }[] }>(`/audit?subject=${encodeURIComponent(osler.did)}`);
    expect(audit.body.entries.filter((e) => e.action.startsWith("directory.")).map((e) => e.action)).toEqual(["directory.list", "directory.unlist", "directory.unlist", "directory.list"]);
  });

  it("hides a suspended doctor at once and refuses to show their profile with the reason; shows them again once reinstated", async () => {
    const suspended = await issuer.post(`/licenses/${lister.license.id}/suspend`, { reason: "board inquiry" });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body).toMatchObject({ license: { state: "suspended" } });
    expect(names(await search("?specialty=394579002"))).toEqual(["Dr. Grace Hopper"]);
    const refused = await profileOf(lister.did);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "LICENSE_REFUSED", detail: expect.stringContaining("CREDENTIAL_SUSPENDED") });
    const again = await lister.put("/directory/me", { listed: true });
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ code: "LICENSE_REFUSED", detail: expect.stringContaining("suspended") });

    expect((await issuer.post(`/licenses/${lister.license.id}/reinstate`, { reason: "inquiry closed" })).body).toMatchObject({ license: { state: "active" } });
    // The background pass (every second here) finds the license good again.
    await until(async () => names(await search("?specialty=394579002")).includes("Dr. Joseph Lister"), "the reinstated doctor is listed again");
  });

  it("drops a doctor whose license is revoked, in the background pass too, and refuses to reinstate a revoked license", async () => {
    const doomed = await listedDoctor({ name: "Dr. Revoked Example", specialty: "394582007" });
    expect(names(await search("?q=revoked"))).toEqual(["Dr. Revoked Example"]);
    expect((await issuer.post(`/licenses/${doomed.license.id}/revoke`, { reason: "struck off" })).status).toBe(200);
    // No one searches: the background pass hides the doctor in the store.
    await until(async () => (await api.store.directory.get(doomed.did))?.hidden === "CREDENTIAL_REVOKED", "the pass hides the revoked doctor");
    expect(names(await search("?q=revoked"))).toEqual([]);
    expect((await issuer.post(`/licenses/${doomed.license.id}/reinstate`, { reason: "mistake" })).status).toBe(400);
  });

  it("refuses to list a doctor this API never verified, and one whose license names no one", async () => {
    const stranger = await signedInUser(api.url);
    const refused = await stranger.put("/directory/me", { listed: true });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "LICENSE_REQUIRED" });
    expect((await fetch(`${api.url}/directory`, { method: "PUT", headers: { "content-type": "application/json" }, body: '{"listed":true}' })).status).toBe(404);
    expect((await fetch(`${api.url}/directory/me`, { method: "PUT", headers: { "content-type": "application/json" }, body: '{"listed":true}' })).status).toBe(401);
    // A name is now part of every license the API issues.
    const { name: _name, ...nameless } = licenseBody(stranger.did);
    expect((await issuer.post("/licenses", nameless)).status).toBe(400);
    expect((await issuer.post("/licenses", { ...licenseBody(stranger.did), name: "   " })).status).toBe(400);
  });
});

describe("the standing presentation behind a profile", () => {
  const refusedWith = async (doctor: User, tamper: (typed: Challenge["typedData"]) => void, jwt: string) => {
    const challenge = await doctor.post<Challenge>("/licenses/challenges", { credential: jwt });
    tamper(challenge.body.typedData);
    const signed = { typedData: challenge.body.typedData, signature: await signPresentation(doctor.wallet, challenge.body.typedData) };
    return doctor.post("/licenses/presentations", signed);
  };

  it("is not kept when the challenge or the domain is wrong, or the credential revoked: no profile, no listing", async () => {
    const doctor = await signedInUser(api.url);
    const issued = (await issuer.post<IssuedLicense>("/licenses", licenseBody(doctor.did))).body;
    const wrongChallenge = await refusedWith(doctor, (typed) => (typed.message.proof.challenge = "a-challenge-this-api-never-issued"), issued.jwt);
    expect(wrongChallenge.status).toBe(403);
    expect(wrongChallenge.body).toMatchObject({ code: "LICENSE_REFUSED", detail: expect.stringMatching(/CHALLENGE/) });
    const wrongDomain = await refusedWith(doctor, (typed) => (typed.message.proof.domain = "evil.example"), issued.jwt);
    expect(wrongDomain.status).toBe(403);
    expect(wrongDomain.body).toMatchObject({ code: "LICENSE_REFUSED", detail: expect.stringMatching(/DOMAIN/) });
    expect((await issuer.post(`/licenses/${issued.id}/revoke`, { reason: "revoked before use" })).status).toBe(200);
    const revoked = await present(doctor, issued.jwt);
    expect(revoked.status).toBe(403);
    expect(revoked.body).toMatchObject({ detail: expect.stringContaining("CREDENTIAL_REVOKED") });

    expect((await profileOf(doctor.did)).status).toBe(404);
    expect((await doctor.put("/directory/me", { listed: true })).body).toMatchObject({ code: "LICENSE_REQUIRED" });
  });
});

describe("sealed patient profiles", () => {
  it("keeps the caller's sealed profile for the caller only, and refuses plaintext", async () => {
    const patient = await signedInUser(api.url);
    const other = await signedInUser(api.url);
    const sealed = JSON.stringify({ protected: "eyJ", iv: "aXY", ciphertext: "Y2lwaGVy", tag: "dGFn" });
    expect((await patient.get("/profile")).status).toBe(404);
    expect((await patient.put("/profile", { sealed })).status).toBe(204);
    expect((await patient.get("/profile")).body).toEqual({ sealed, updatedAt: expect.any(Number) });
    expect((await other.get("/profile")).status).toBe(404);
    expect((await fetch(`${api.url}/profile`)).status).toBe(401);
    for (const bad of [{ sealed: JSON.stringify({ name: "Maria Gonzalez", birthDate: "1962-03-14" }) }, { sealed: "Maria Gonzalez" }, { sealed, did: other.did }]) {
      const refused = await patient.put("/profile", bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await patient.get("/profile")).body).toMatchObject({ sealed });
  });
});

describe("the directory's rate limit", () => {
  it("refuses searches beyond its own limit per client with 429, while other routes still answer", async () => {
    let status = 200;
    for (let i = 0; i <= SEARCHES_PER_MINUTE && status === 200; i++) status = (await fetch(`${api.url}/directory?q=x`)).status;
    expect(status).toBe(429);
    const limited = await search("?q=x");
    expect(limited.body).toMatchObject({ code: "RATE_LIMITED" });
    expect((await fetch(`${api.url}/healthz`)).status).not.toBe(429);
  });
});
