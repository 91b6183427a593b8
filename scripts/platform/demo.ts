import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import {
  consentCommitmentOf,
  consentIdOfOpening,
  consentRegistryAt,
  encryptionKeyFromProvider,
  newConsentOpening,
  signedFetch,
  signGrant,
  type ConsentOpening,
  type Deployment,
  type Hex,
} from "@openchart/sdk";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";

/** Development accounts #3 and #4 (not #0, the deployer and batcher, nor #2, the consent relayer). */
export const DEMO_PATIENT = DEV_ACCOUNTS[3];
export const DEMO_DOCTOR = DEV_ACCOUNTS[4];
/** Development account #5: the local issuer wallet (API_ISSUER_DIDS), which issues the doctor's license. */
export const DEMO_ISSUER = DEV_ACCOUNTS[5];
/** Development account #1 pays the demo consent's gas: never the patient's wallet, which would name them. */
const DEMO_CONSENT_RELAYER = DEV_ACCOUNTS[1];
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
  /** The consent's opening is private: demo.json is the patient's file (0600). */
  consent?: { id: string; opening: ConsentOpening; txHash: string };
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
  // A consent seeded by ConsentRegistry v1 (no opening) is seeded again on the v2 registry.
  if (!state.consent?.opening) {
    const { secretKey } = await encryptionKeyFromProvider((await import("@openchart/sdk/vault")).privateKeyProvider(DEMO_PATIENT.key, 31337), {
      address: DEMO_PATIENT.address,
      chainId: 31337,
    });
    const seeded = await seedConsent({
      chainUrl: endpoints.chain,
      deployment: options.deployment,
      patient: state.patient.did,
      grantee: state.doctor.did,
      recordIds: ids,
      patientSecret: secretKey,
      expiresAt: Math.floor(Date.parse(state.grant.expiresAt) / 1000),
    });
    state.consent = { id: consentIdOfOpening(seeded.opening), opening: seeded.opening, txHash: seeded.txHash };
    save(dataDir, state);
  }
  return state;
}

/**
 * Records one consent on chain as the web app does: a fresh opening (random salt, per-consent key derived from
 * the patient's secret), a grant signed by that key and relayed by another account, so neither the calldata nor
 * the sender names the patient. Returns the opening, which the grant that carries the keys must hold.
 */
export async function seedConsent(input: {
  chainUrl: string;
  deployment: Deployment;
  patient: string;
  grantee: string;
  recordIds: string[];
  patientSecret: Uint8Array;
  /** Seconds since the epoch. */
  expiresAt: number;
  relayerKey?: string;
}): Promise<{ opening: ConsentOpening; txHash: Hex }> {
  const registryAddress = input.deployment.contracts.ConsentRegistry.address;
  const { opening, key } = newConsentOpening({
    chainId: input.deployment.chainId,
    registry: registryAddress,
    patient: input.patient,
    grantee: input.grantee,
    recordIds: input.recordIds,
    patientSecret: input.patientSecret,
  });
  const provider = new JsonRpcProvider(input.chainUrl, undefined, { staticNetwork: true });
  try {
    const target = { chainId: input.deployment.chainId, contract: registryAddress };
    const deadline = BigInt((await provider.getBlock("latest"))!.timestamp + 3600);
    const { message: m, r, vs } = await signGrant(key, target, { commitment: consentCommitmentOf(opening), expiresAt: BigInt(input.expiresAt), deadline });
    const registry = consentRegistryAt(registryAddress, provider).connect(new Wallet(input.relayerKey ?? DEMO_CONSENT_RELAYER.key, provider));
    const tx = (await registry.getFunction("grantBySig")(opening.revoker, m.commitment, m.expiresAt, m.deadline, r, vs)) as { hash: string; wait(): Promise<unknown> };
    await tx.wait();
    return { opening, txHash: tx.hash as Hex };
  } finally {
    provider.destroy();
  }
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
