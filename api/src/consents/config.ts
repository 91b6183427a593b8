import { int, privateKey, refuseLocalDefault, type Env } from "../env.js";

/** Hardhat's third development account: the local default of the consent relayer (its own nonces, apart from the batcher's). */
export const LOCAL_DEV_RELAYER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

export interface ConsentsConfig {
  /** Pays the gas of grants and revokes signed by consent keys (`POST /consents/relay`). */
  relayerKey: string;
  /** Signed consent requests relayed per signed-in caller (the patient) per hour. */
  relayPerPatientPerHour: number;
}

/** The consent relay: `API_RELAYER_KEY`, `API_RELAY_PER_PATIENT_PER_HOUR`. */
export function consentsConfig(env: Env): ConsentsConfig {
  return {
    relayerKey: privateKey(env, "API_RELAYER_KEY", LOCAL_DEV_RELAYER_KEY),
    relayPerPatientPerHour: int(env, "API_RELAY_PER_PATIENT_PER_HOUR", 20, 1, 100_000),
  };
}

export function checkConsentsForChain(config: ConsentsConfig, chainId: number): void {
  refuseLocalDefault(
    config.relayerKey === LOCAL_DEV_RELAYER_KEY,
    chainId,
    "API_RELAYER_KEY is unset, and its default (a public Hardhat development key) is for the local chain only",
  );
}
