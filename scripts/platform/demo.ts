import fs from "node:fs";
import path from "node:path";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import { consentIdOf, consentOfGrant, consentRegistryAbi, encryptionKeyFromProvider, grantScopeSalt, signedFetch, type Deployment } from "@openchart/sdk";
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
  records?: { id: string; title: string }[];
  grant?: { id: string; expiresAt: string };
  consent?: { id: string; scope: string; salt: string; txHash: string };
  /** The part the web app may show (`/config.json` "demo"): no keys. */
  public: { patient: string; doctor: string; records: string[]; consentId?: string };
}

const account = (a: { key: string; address: string }): DemoAccount => ({ address: a.address, did: `did:pkh:eip155:31337:${a.address}`, privateKey: a.key });
const demoFile = (dataDir: string) => path.join(dataDir, "demo.json");

function load(dataDir: string): DemoState {
  const file = demoFile(dataDir);
  const saved = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Partial<DemoState>) : {};
  return { ...saved, patient: account(DEMO_PATIENT), doctor: account(DEMO_DOCTOR), issuer: account(DEMO_ISSUER), public: { patient: "", doctor: "", records: [] } };
}

function save(dataDir: string, state: DemoState): DemoState {
  state.public = {
    patient: state.patient.did,
    doctor: state.doctor.did,
    records: (state.records ?? []).map((r) => r.id),
    ...(state.consent ? { consentId: state.consent.id } : {}),
  };
  fs.writeFileSync(demoFile(dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return state;
}

/** The doctor's license credential, issued through the API (`POST /licenses`) by the issuer wallet. */
async function issueLicense(apiUrl: string, webHost: string, doctorDid: string): Promise<DemoLicense> {
  const { signInWithEthereum, privateKeyProvider } = await import("@openchart/sdk/vault");
  // Signed in as the web app's page would be: its host:port is the API's sign-in domain, the API its resource.
  const { did } = await signInWithEthereum(privateKeyProvider(DEMO_ISSUER.key, 31337), { appName: webHost, resources: [apiUrl] });
  const body = JSON.stringify({
    subject: doctorDid,
    licenseNumber: "DEMO-0001",
    specialty: "394814009",
    jurisdiction: "Demo Medical Board",
    validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
  });
  const response = await signedFetch(
    { did, cacao: did.capability },
    `${apiUrl}/licenses`,
    { method: "POST", headers: { "content-type": "application/json", "idempotency-key": "openchart-demo-license" }, body },
    { audience: apiUrl },
  );
  const reply = (await response.json()) as { id?: string; jwt?: string; detail?: string };
  if (response.status !== 201 || !reply.id || !reply.jwt) {
    throw new Error(`the API refused the demo license (${response.status}): ${reply.detail ?? JSON.stringify(reply)} (is ${DEMO_ISSUER.address} in API_ISSUER_DIDS?)`);
  }
  return { id: reply.id, jwt: reply.jwt };
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
  if (state.license && state.records && state.grant && state.consent) return save(dataDir, state);
  options.log("demo: seeding the doctor's license, the patient's records and the grant");
  if (!state.license) {
    state.license = await issueLicense(endpoints.api, new URL(endpoints.web).host, state.doctor.did);
    save(dataDir, state);
  }
  const patient = await signIn(DEMO_PATIENT.key, endpoints);
  if (!state.records) {
    state.records = [];
    for (const r of DEMO_RECORDS) {
      const added = await patient.addRecord({ content: new TextEncoder().encode(r.text), title: r.title, mediaType: "text/plain" });
      state.records.push({ id: added.id, title: r.title });
    }
    save(dataDir, state);
  }
  const ids = state.records.map((r) => r.id);
  if (!state.grant) {
    await signIn(DEMO_DOCTOR.key, endpoints); // publishes the doctor's encryption key, which sharing needs
    const expiresAt = new Date(Date.now() + GRANT_DAYS * 86_400_000);
    const grant = await patient.shareRecords(ids, state.doctor.did, expiresAt);
    state.grant = { id: grant.id, expiresAt: grant.expiresAt };
    save(dataDir, state);
  }
  if (!state.consent) {
    const provider = new JsonRpcProvider(endpoints.chain, undefined, { staticNetwork: true });
    try {
      // The same rule as the web app's, so the app finds the consent behind the seeded grant.
      const { scope } = consentOfGrant(DEMO_PATIENT.address, DEMO_DOCTOR.address, { id: state.grant.id, recordIds: ids });
      const salt = grantScopeSalt(state.grant.id);
      const registry = new Contract(options.deployment.contracts.ConsentRegistry.address, consentRegistryAbi, new Wallet(DEMO_PATIENT.key, provider));
      const expiresAt = BigInt(Math.floor(Date.parse(state.grant.expiresAt) / 1000));
      const tx = (await registry.getFunction("grant")(DEMO_DOCTOR.address, scope, expiresAt)) as { hash: string; wait(): Promise<unknown> };
      await tx.wait();
      state.consent = { id: consentIdOf(DEMO_PATIENT.address, DEMO_DOCTOR.address, scope), scope, salt, txHash: tx.hash };
      save(dataDir, state);
    } finally {
      provider.destroy();
    }
  }
  return state;
}

export async function signIn(key: string, endpoints: { web: string; api: string; ceramic: string; ipfs: string }) {
  const { RecordVault, defaultResources, privateKeyProvider, signInWithEthereum } = await import("@openchart/sdk/vault");
  const provider = privateKeyProvider(key, 31337);
  const [session, encryptionKey] = await Promise.all([
    // As the web app's page signs in: its host:port is the API's sign-in domain, and the session names the
    // API among its resources, since the anchoring queue takes signed submissions only.
    signInWithEthereum(provider, { appName: new URL(endpoints.web).host, resources: [...defaultResources(), endpoints.api] }),
    encryptionKeyFromProvider(provider, { address: provider.address, chainId: 31337 }),
  ]);
  const vault = new RecordVault({ did: session.did, encryptionKey, ceramicUrl: endpoints.ceramic, ipfsUrl: endpoints.ipfs, anchorServiceUrl: endpoints.api });
  await vault.ensureEncryptionProfile();
  return vault;
}
