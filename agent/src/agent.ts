import { createAgent as createVeramoAgent } from "@veramo/core";
import type { ICredentialPlugin, IDataStore, IDataStoreORM, IDIDManager, IKeyManager, IResolver, TAgent } from "@veramo/core-types";
import { CredentialPlugin } from "@veramo/credential-w3c";
import { CredentialProviderEIP712 } from "@veramo/credential-eip712";
import { CredentialProviderJWT } from "@veramo/credential-jwt";
import { DataStore, DataStoreORM, DIDStore, KeyStore, PrivateKeyStore } from "@veramo/data-store";
import { DIDManager } from "@veramo/did-manager";
import { getDidKeyResolver, KeyDIDProvider } from "@veramo/did-provider-key";
import { getDidPkhResolver, PkhDIDProvider } from "@veramo/did-provider-pkh";
import { DIDResolverPlugin } from "@veramo/did-resolver";
import { KeyManager } from "@veramo/key-manager";
import { KeyManagementSystem, SecretBox } from "@veramo/kms-local";
import { Resolver, type Resolvable } from "did-resolver";
import type { DataSource } from "typeorm";
import { ChallengeStore } from "./challenges.js";
import { loadAgentConfig, type AgentConfig } from "./config.js";
import { openDatabase } from "./database.js";
import { BitstringStatusListPlugin } from "./status-list/plugin.js";
import type { IBitstringStatusList } from "./status-list/types.js";

export type VeramoAgent = TAgent<IDIDManager & IKeyManager & IResolver & IDataStore & IDataStoreORM & ICredentialPlugin & IBitstringStatusList>;

export interface OpenChartAgent {
  /** The Veramo agent, for anything the helpers below do not cover. */
  veramo: VeramoAgent;
  /** A caching did:key + did:pkh resolver (DID documents of these methods never change). */
  resolver: Resolvable;
  challenges: ChallengeStore;
  config: AgentConfig;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface CreateAgentOptions extends Partial<AgentConfig> {
  /** Environment to read configuration from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Used to fetch status lists the agent does not hold; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Status list length in bits (the spec's minimum, 131,072, by default). */
  statusListBits?: number;
}

/** Opens the data store (migrating it) and assembles the Veramo agent with OpenChart's plugins. */
export async function createAgent(options: CreateAgentOptions = {}): Promise<OpenChartAgent> {
  const { env, fetch, statusListBits, ...overrides } = options;
  const config = loadAgentConfig(env ?? process.env, overrides);
  const dataSource = await openDatabase(config);
  const resolver = new Resolver({ ...getDidKeyResolver(), ...getDidPkhResolver() }, { cache: true });
  const veramo = createVeramoAgent<VeramoAgent extends TAgent<infer P> ? P : never>({
    plugins: [
      new KeyManager({
        store: new KeyStore(dataSource),
        kms: { local: new KeyManagementSystem(new PrivateKeyStore(dataSource, new SecretBox(config.secretKey))) },
      }),
      new DIDManager({
        store: new DIDStore(dataSource),
        defaultProvider: "did:key",
        providers: {
          "did:key": new KeyDIDProvider({ defaultKms: "local" }),
          "did:pkh": new PkhDIDProvider({ defaultKms: "local", chainId: String(config.chainId) }),
        },
      }),
      new DIDResolverPlugin({ resolver }),
      new CredentialPlugin([new CredentialProviderJWT(), new CredentialProviderEIP712()]),
      new DataStore(dataSource),
      new DataStoreORM(dataSource),
      new BitstringStatusListPlugin({
        dataSource,
        baseUrl: config.statusBaseUrl,
        remoteTtlMs: config.statusListTtlSeconds * 1000,
        listBits: statusListBits,
        fetch,
      }),
    ],
  });
  return {
    veramo,
    resolver,
    challenges: new ChallengeStore(dataSource, config.challengeTtlSeconds * 1000),
    config,
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
