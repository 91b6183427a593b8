import { describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS, loadConfig } from "./config";

const serving = (body: unknown, status = 200): typeof fetch => async () => new Response(JSON.stringify(body), { status });

describe("loadConfig", () => {
  it("reads what the launcher writes", async () => {
    const written = {
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:18545",
      apiUrl: "http://127.0.0.1:18787",
      apiAudience: "http://127.0.0.1:18787",
      ceramicUrl: "http://127.0.0.1:17007",
      ipfsUrl: "http://127.0.0.1:15001",
      contracts: { RecordRegistry: "0x5fbdb2315678afecb367f032d93f642f64180aa3", ConsentRegistry: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512" },
      sessionHours: 8,
    };
    expect(await loadConfig(serving(written))).toEqual(written);
    // An older launcher's demo block named the demo's patient and doctor in a public file: it is not read.
    const withDemo = { ...written, demo: { patient: "did:pkh:eip155:31337:0x90f7", doctor: "did:pkh:eip155:31337:0x15d3", records: ["k2t6"] } };
    expect(await loadConfig(serving(withDemo))).toEqual(written);
  });

  it("fills what an older config.json lacks, the audience from the API URL", async () => {
    const config = await loadConfig(serving({ chainId: 80002, apiUrl: "https://api.example.org" }));
    expect(config).toEqual({ ...LOCAL_DEFAULTS, chainId: 80002, apiUrl: "https://api.example.org", apiAudience: "https://api.example.org" });
  });

  it("keeps a session 24 hours unless told otherwise, and never beyond 30 days", async () => {
    expect((await loadConfig(serving({}))).sessionHours).toBe(24);
    expect((await loadConfig(serving({ sessionHours: 2 }))).sessionHours).toBe(2);
    expect((await loadConfig(serving({ sessionHours: 24 * 365 }))).sessionHours).toBe(24);
    expect((await loadConfig(serving({ sessionHours: -1 }))).sessionHours).toBe(24);
  });

  it("falls back to the local defaults without a config.json", async () => {
    expect(await loadConfig(serving({}, 404))).toEqual(LOCAL_DEFAULTS);
  });
});
