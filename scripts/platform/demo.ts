import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import { consentIdOf, consentRegistryAbi, encryptionKeyFromProvider, scopeOf, type Deployment } from "@openchart/sdk";
import { DEV_ACCOUNTS } from "../chain/devAccounts";
import { issueDemoLicense, type DemoLicense } from "./issuer";

/** Development accounts #3 and #4 (not #0, the deployer and batcher, nor #2, the consent relayer). */
export const DEMO_PATIENT = DEV_ACCOUNTS[3];
export const DEMO_DOCTOR = DEV_ACCOUNTS[4];
const GRANT_DAYS = 30;

export interface DemoAccount {
  address: string;
  did: string;
  /** A public Hardhat development key: for importing into a browser wallet on the local chain only. */
  privateKey: string;
}

/** What the demo seeded, remembered in `<dataDir>/demo.json` so a restart seeds nothing twice. */
export interface DemoState {
  patient: DemoAccount;
  doctor: DemoAccount;
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
  return { ...saved, patient: account(DEMO_PATIENT), doctor: account(DEMO_DOCTOR), public: { patient: "", doctor: "", records: [] } };
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

/** The doctor's license credential, issued with the agent's issuer before the API opens its database. */
async function license(options: { dataDir: string; agentEnv: Record<string, string | undefined> }): Promise<DemoState> {
  const state = load(options.dataDir);
  state.license ??= await issueDemoLicense(options.agentEnv, state.doctor.did);
  return save(options.dataDir, state);
}

const DEMO_RECORDS = [
  { title: "Demo: blood test results", text: "Synthetic demo record: full blood count, all values in range." },
  { title: "Demo: vaccination certificate", text: "Synthetic demo record: tetanus booster." },
];

/**
 * Two records of the patient (encrypted, stored in IPFS, indexed in Ceramic, anchored through the API),
 * shared with the doctor, and the matching consent on chain. Each step runs once.
 */
async function records(options: {
  dataDir: string;
  endpoints: { chain: string; api: string; ceramic: string; ipfs: string };
  deployment: Deployment;
  license: DemoState;
  log: (line: string) => void;
}): Promise<DemoState> {
  const { dataDir, endpoints } = options;
  const state = options.license;
  if (state.records && state.grant && state.consent) return state;
  options.log("demo: seeding the patient's records and the grant");
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
      const salt = `0x${randomBytes(32).toString("hex")}`;
      const scope = scopeOf(ids, salt);
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

async function signIn(key: string, endpoints: { api: string; ceramic: string; ipfs: string }) {
  const { RecordVault, privateKeyProvider, signInWithEthereum } = await import("@openchart/sdk/vault");
  const provider = privateKeyProvider(key, 31337);
  const [session, encryptionKey] = await Promise.all([
    signInWithEthereum(provider, { appName: "openchart-demo" }),
    encryptionKeyFromProvider(provider, { address: provider.address, chainId: 31337 }),
  ]);
  const vault = new RecordVault({ did: session.did, encryptionKey, ceramicUrl: endpoints.ceramic, ipfsUrl: endpoints.ipfs, anchorServiceUrl: endpoints.api });
  await vault.ensureEncryptionProfile();
  return vault;
}

export const seedDemo = { license, records };
