// fhirExportResourcesPerSec: building and serializing a Bundle of 10,000 resources on the device (records
// already opened: decryption excluded), beside SHA-256 of the same JSON in the same run.
import { createHash, randomBytes } from "node:crypto";
import { chartBundle, type ChartRecord, type Receipt } from "@openchart/sdk";
import { median } from "../crypto-measure.ts";

const RECORDS = 4_999; // each with a receipt: 4,999 DocumentReferences + 4,999 Provenances + the Patient + 1 Consent = 10,000

function hex(): `0x${string}` {
  return `0x${randomBytes(32).toString("hex")}`;
}

function records(): ChartRecord[] {
  return Array.from({ length: RECORDS }, (_, i) => {
    const receipt: Receipt = { documentSha256: hex(), salt: hex(), leaf: hex(), proof: [hex(), hex(), hex()], root: hex(), chainId: 137, contract: "0x5fbdb2315678afecb367f032d93f642f64180aa3", txHash: hex(), blockNumber: 1000 + i, anchoredAt: 1_760_000_000 + i };
    return { id: `kjzl6kcym7w8y${i}`, title: `Record ${i}`, mediaType: "application/pdf", category: "11502-2", createdAt: new Date(1_760_000_000_000 + i).toISOString(), size: 100_000 + i, sha256: receipt.documentSha256, receipt };
  });
}

export async function measureFhirExport(): Promise<Record<string, number>> {
  const input = { patient: "did:pkh:eip155:137:0x90f79bf6eb2c4f870365e785982e1f101e93b906", records: records(), grants: [{ id: "kjzl6grant", grantee: "did:key:z6Mk", recordIds: ["kjzl6kcym7w8y0"], createdAt: new Date().toISOString(), expiresAt: "2099-01-01T00:00:00Z", revoked: false }] };
  const exportMs: number[] = [];
  const shaMs: number[] = [];
  let resources = 0;
  let bytes = 0;
  for (let run = 0; run < 7; run++) {
    const start = performance.now();
    const bundle = chartBundle(input);
    const json = JSON.stringify(bundle);
    exportMs.push(performance.now() - start);
    resources = bundle.entry!.length;
    bytes = json.length;
    const hashStart = performance.now();
    createHash("sha256").update(json).digest();
    shaMs.push(performance.now() - hashStart);
  }
  const ms = median(exportMs);
  return {
    fhirExportResources: resources,
    fhirExportMs: ms,
    fhirExportResourcesPerSec: Math.round(resources / (ms / 1000)),
    fhirExportBundleMB: bytes / 1e6,
    fhirExportSha256SameJsonMs: median(shaMs),
    fhirExportVsSha256Ratio: ms / median(shaMs),
  };
}
