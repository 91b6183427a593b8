import fs from "node:fs";
import path from "node:path";
import {
  consentGrantRequest,
  consentIdOfOpening,
  encryptionKeyFromProvider,
  signedFetch,
  type ConsentOpening,
  type ConsentRelayed,
  type Deployment,
} from "@openchart/sdk";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";

/** Development accounts #3 and #4 (not #0, the deployer and batcher, nor #2, the consent relayer). */
export const DEMO_PATIENT = DEV_ACCOUNTS[3];
export const DEMO_DOCTOR = DEV_ACCOUNTS[4];
/** Development account #5: the local issuer wallet (API_ISSUER_DIDS), which issues the doctor's license. */
export const DEMO_ISSUER = DEV_ACCOUNTS[5];
const GRANT_DAYS = 30;

export interface DemoAccount {
  address: string;
  did: string;
  /** A public Hardhat development key: for importing into a browser wallet on the local chain only. */
  privateKey: string;
}

/** What the demo seeded, remembered in `<dataDir>/demo.json` so a restart seeds nothing twice. */
export interface DemoLicense {
  id: string;
  jwt: string;
}

export interface DemoState {
  patient: DemoAccount;
  doctor: DemoAccount;
  issuer: DemoAccount;
  license?: DemoLicense;
  /** The doctor's standing presentation is kept by the API and the doctor is in the directory. */
  published?: boolean;
  records?: { id: string; title: string }[];
  grant?: { id: string; expiresAt: string };
  /** The consent's opening is secret (it names both parties): demo.json is owner-only. */
  consent?: { id: string; opening: ConsentOpening; txHash?: string };
}

const account = (a: { key: string; address: string }): DemoAccount => ({ address: a.address, did: `did:pkh:eip155:31337:${a.address}`, privateKey: a.key });
const demoFile = (dataDir: string) => path.join(dataDir, "demo.json");

function load(dataDir: string): DemoState {
  const file = demoFile(dataDir);
  const saved = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Partial<DemoState>) : {};
  return { ...saved, patient: account(DEMO_PATIENT), doctor: account(DEMO_DOCTOR), issuer: account(DEMO_ISSUER) };
}

function save(dataDir: string, state: DemoState): DemoState {
  fs.writeFileSync(demoFile(dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return state;
}

/** Names the demo gives its people (the doctor's is on the license; the patient's is sealed, never public). */
export const DEMO_DOCTOR_NAME = "Dr. Demo Doctor";
export const DEMO_PATIENT_PROFILE = { name: "Demo Patient", birthDate: "1980-01-31" };

type ApiCall = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: Record<string, unknown> }>;

/** Signed API calls as the account of `key`, signed in as the web app's page would be: its host:port is the sign-in domain, the API a resource. */
async function signedApi(key: string, apiUrl: string, webHost: string): Promise<ApiCall> {
  const { signInWithEthereum, privateKeyProvider } = await import("@openchart/sdk/vault");
  const { did } = await signInWithEthereum(privateKeyProvider(key, 31337), { appName: webHost, resources: [apiUrl] });
  return async (method, path, body, headers = {}) => {
    const init = body === undefined ? { method, headers } : { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
    const response = await signedFetch({ did, cacao: did.capability }, `${apiUrl}${path}`, init, { audience: apiUrl });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
}

/** The doctor's license credential, issued through the API (`POST /licenses`) by the issuer wallet. */
async function issueLicense(apiUrl: string, webHost: string, doctorDid: string): Promise<DemoLicense> {
  const call = await signedApi(DEMO_ISSUER.key, apiUrl, webHost);
  const body = {
    subject: doctorDid,
    name: DEMO_DOCTOR_NAME,
    licenseNumber: "DEMO-0001",
    specialty: "394814009",
    jurisdiction: "Demo Medical Board",
    validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
  };
  const reply = await call("POST", "/licenses", body, { "idempotency-key": "openchart-demo-license" });
  const { id, jwt } = reply.body as { id?: string; jwt?: string };
  if (reply.status !== 201 || !id || !jwt) {
    throw new Error(`the API refused the demo license (${reply.status}): ${String(reply.body.detail ?? JSON.stringify(reply.body))} (is ${DEMO_ISSUER.address} in API_ISSUER_DIDS?)`);
  }
  return { id, jwt };
}

/**
 * The doctor publishes the license once, as "Present license" and "List me in the directory" do in the web
 * app: the API keeps the verified presentation (re-checked against the status list on every read), so
 * patients can share with the doctor while the doctor is offline.
 */
async function publishLicense(apiUrl: string, webHost: string, license: DemoLicense): Promise<void> {
  const { Wallet } = await import("ethers");
  const call = await signedApi(DEMO_DOCTOR.key, apiUrl, webHost);
  const challenge = await call("POST", "/licenses/challenges", { credential: license.jwt }, { "idempotency-key": `openchart-demo-challenge-${Date.now()}` });
  const typed = challenge.body.typedData as { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; message: Record<string, unknown> } | undefined;
  if (challenge.status !== 200 || !typed) throw new Error(`the API gave the demo doctor no challenge (${challenge.status}): ${JSON.stringify(challenge.body)}`);
  // What the wallet's eth_signTypedData_v4 signs: ethers wants the types without EIP712Domain.
  const { EIP712Domain: _domain, ...types } = typed.types;
  const signature = await new Wallet(DEMO_DOCTOR.key).signTypedData(typed.domain, types, typed.message);
  const presented = await call("POST", "/licenses/presentations", { typedData: typed, signature });
  if (presented.status !== 200) throw new Error(`the API refused the demo doctor's license (${presented.status}): ${JSON.stringify(presented.body)}`);
  const listed = await call("PUT", "/directory/me", { listed: true });
  if (listed.status !== 200) throw new Error(`the API did not list the demo doctor (${listed.status}): ${JSON.stringify(listed.body)}`);
}

const DEMO_RECORDS = [
  { title: "Demo: blood test results", text: "Synthetic demo record: full blood count, all values in range." },
  { title: "Demo: vaccination certificate", text: "Synthetic demo record: tetanus booster." },
];

/**
 * The doctor's license, two records of the patient (encrypted, stored in IPFS, indexed in Ceramic,
 * anchored through the API), shared with the doctor, and the matching consent on chain. Each step runs
 * once: what is done is remembered in demo.json.
 */
export async function seedDemo(options: {
  dataDir: string;
  endpoints: { web: string; chain: string; api: string; ceramic: string; ipfs: string };
  deployment: Deployment;
  log: (line: string) => void;
}): Promise<DemoState> {
  const { dataDir, endpoints } = options;
  const state = load(dataDir);
  if (state.license && state.published && state.records && state.grant && state.consent?.txHash) return save(dataDir, state);
  options.log("demo: seeding the doctor's license, the patient's records and the grant");
  if (!state.license) {
    state.license = await issueLicense(endpoints.api, new URL(endpoints.web).host, state.doctor.did);
    save(dataDir, state);
  }
  if (!state.published) {
    await publishLicense(endpoints.api, new URL(endpoints.web).host, state.license);
    state.published = true;
    save(dataDir, state);
  }
  const consentTarget = { chainId: 31337, registry: options.deployment.contracts.ConsentRegistry.address };
  const patient = await signInAs(DEMO_PATIENT.key, endpoints, consentTarget);
  if (!state.records) {
    state.records = [];
    for (const r of DEMO_RECORDS) {
      const added = await patient.vault.addRecord({ content: new TextEncoder().encode(r.text), title: r.title, mediaType: "text/plain" });
      state.records.push({ id: added.id, title: r.title });
    }
    save(dataDir, state);
  }
  const ids = state.records.map((r) => r.id);
  if (!state.grant || !state.consent) {
    await signIn(DEMO_DOCTOR.key, endpoints); // publishes the doctor's encryption key, which sharing needs
    const expiresAt = new Date(Date.now() + GRANT_DAYS * 86_400_000);
    // The patient's profile: sealed on this side for the patient's devices (the API keeps the ciphertext) and into the grant for the doctor.
    const { sealPatientProfile } = await import("@openchart/sdk/vault");
    const sealed = await sealPatientProfile(DEMO_PATIENT_PROFILE, patient.encryptionKey.secretKey);
    const kept = await (await signedApi(DEMO_PATIENT.key, endpoints.api, new URL(endpoints.web).host))("PUT", "/profile", { sealed });
    if (kept.status !== 204) throw new Error(`the API did not keep the demo patient's sealed profile (${kept.status}): ${JSON.stringify(kept.body)}`);
    const grant = await patient.vault.shareRecords(ids, state.doctor.did, expiresAt, { profile: DEMO_PATIENT_PROFILE });
    state.grant = { id: grant.id, expiresAt: grant.expiresAt };
    state.consent = { id: consentIdOfOpening(grant.opening!), opening: grant.opening! };
    save(dataDir, state);
  }
  if (!state.consent.txHash) {
    // Relayed as the web app relays it: signed by the consent's own key, paid by the API.
    const body = await consentGrantRequest(patient.encryptionKey.secretKey, state.consent.opening, new Date(state.grant.expiresAt));
    const response = await signedFetch(
      { did: patient.did, cacao: patient.did.capability },
      `${endpoints.api}/consents/relay`,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      { audience: endpoints.api },
    );
    const reply = (await response.json()) as Partial<ConsentRelayed> & { detail?: string };
    if (!response.ok || !reply.txHash) throw new Error(`the API refused to relay the demo consent (${response.status}): ${reply.detail ?? JSON.stringify(reply)}`);
    state.consent.txHash = reply.txHash;
    save(dataDir, state);
  }
  return state;
}

/** A signed-in vault, its DID session and its encryption key, as the web app's page holds them. */
export async function signInAs(
  key: string,
  endpoints: { web: string; api: string; ceramic: string; ipfs: string },
  consentTarget?: { chainId: number; registry: string },
) {
  const { RecordVault, defaultResources, privateKeyProvider, signInWithEthereum } = await import("@openchart/sdk/vault");
  const provider = privateKeyProvider(key, 31337);
  const [session, encryptionKey] = await Promise.all([
    // As the web app's page signs in: its host:port is the API's sign-in domain, and the session names the
    // API among its resources, since the anchoring queue takes signed submissions only.
    signInWithEthereum(provider, { appName: new URL(endpoints.web).host, resources: [...defaultResources(), endpoints.api] }),
    encryptionKeyFromProvider(provider, { address: provider.address, chainId: 31337 }),
  ]);
  const vault = new RecordVault({
    did: session.did,
    encryptionKey,
    ceramicUrl: endpoints.ceramic,
    ipfsUrl: endpoints.ipfs,
    anchorServiceUrl: endpoints.api,
    ...(consentTarget ? { consentTarget } : {}),
  });
  await vault.ensureEncryptionProfile();
  return { vault, did: session.did, encryptionKey };
}

export async function signIn(key: string, endpoints: { web: string; api: string; ceramic: string; ipfs: string }) {
  return (await signInAs(key, endpoints)).vault;
}
