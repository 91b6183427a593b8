import { describe, expect, it } from "vitest";
import { parseStartFlags } from "./console";
import { PlatformError, resolvePorts } from "./ports";
import { wipeDataDir } from "./reset";
import { REPO_ROOT } from "../chain/dev-accounts";

describe("npm start's command line", () => {
  it("takes --reset and --demo, and refuses anything else with the usage", () => {
    expect(parseStartFlags(["--reset", "--demo"])).toMatchObject({ reset: true, demo: true, help: false });
    expect(parseStartFlags([])).toMatchObject({ reset: false, demo: false });
    expect(() => parseStartFlags(["--rest"])).toThrow('unknown option "--rest"');
  });

  it("reads ports from the environment, the chain's also from OPENCHART_LOCAL_RPC_URL, and refuses bad ones", async () => {
    expect(await resolvePorts({}, {})).toEqual({ chain: 8545, ceramic: 7007, ipfs: 5001, api: 8787, web: 8080 });
    expect(await resolvePorts({}, { API_PORT: "9000", OPENCHART_LOCAL_RPC_URL: "http://127.0.0.1:9545" })).toMatchObject({ api: 9000, chain: 9545 });
    await expect(resolvePorts({}, { OPENCHART_WEB_PORT: "80a" })).rejects.toThrow(new PlatformError('OPENCHART_WEB_PORT must be a port number, got "80a"'));
  });

  it("never wipes a folder that holds the repository", () => {
    expect(() => wipeDataDir(REPO_ROOT)).toThrow(/refusing to wipe/);
    expect(() => wipeDataDir("/")).toThrow(/refusing to wipe/);
  });
});
