/// <reference types="node" />
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { OpenChartError } from "../errors.js";
import { readJsonFile, type ExitCode } from "./common.js";
import { progressTo, signIn, writeVerified } from "./records.js";

export const exportUsage = "openchart export --out <archive.zip> [--include-keys] | export --fhir <bundle.json> | import <bundle.json>";

const USAGE = `usage:
  openchart export --out <archive.zip> [--include-keys]   everything you own, decrypted, as one ZIP with an offline index.html
  openchart export --fhir <bundle.json>                   your chart as a FHIR R4 Bundle (records up to 1 MB inline)
  openchart import <bundle.json>                          each DocumentReference, Binary and clinical resource of a FHIR
                                                          Bundle becomes an encrypted record; a malformed bundle adds nothing

--include-keys also writes your encryption key into the archive: whoever has the archive can then open every
record you own, now and later. Files are written readable by you only (0600).
configuration: OPENCHART_PATIENT_KEY (hex private key, required), OPENCHART_CERAMIC_URL, OPENCHART_IPFS_URL, OPENCHART_CHAIN_ID`;

const KEY_WARNING =
  "openchart export: WARNING: --include-keys puts your encryption key in the archive; whoever has the file can open every record you own. Keep it offline.";

/** `openchart export` and `openchart import`: the patient's exit archive, and the FHIR Bundle both ways. */
export async function exportCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, command: "export" | "import" = "export"): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: "string" }, fhir: { type: "string" }, "include-keys": { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  const file = positionals[0];
  const valid = command === "import" ? file !== undefined && positionals.length === 1 : positionals.length === 0 && (values.out === undefined) !== (values.fhir === undefined);
  if (values.help || !valid) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const bundle = command === "import" ? readJsonFile(file!, "FHIR Bundle") : undefined;
  try {
    const vault = await signIn(env);
    if (command === "import") {
      const result = await vault.importFhirBundle(bundle);
      for (const r of result.records) console.log(`${r.id}  ${r.category ?? "-"}  ${r.mediaType}  ${r.title}  (${r.source})`);
      for (const s of result.skipped) console.error(`skipped ${s.source}: ${s.reason}`);
      return 0;
    }
    if (values.fhir) {
      await writeFile(values.fhir, `${JSON.stringify(await vault.exportFhirBundle(), null, 2)}\n`, { mode: 0o600 });
      console.error(`wrote ${values.fhir}`);
      return 0;
    }
    const includeKeyMaterial = values["include-keys"] === true;
    if (includeKeyMaterial) console.error(KEY_WARNING);
    await writeVerified(vault.exitArchive({ includeKeyMaterial, onProgress: progressTo(process.stderr, "exporting") }), values.out!, 0o600);
    console.error(`wrote ${values.out}: open index.html inside it in any browser, offline`);
    return 0;
  } catch (error) {
    if (!(error instanceof OpenChartError)) throw error;
    console.error(`openchart ${command}: ${error.code}: ${error.message}`);
    return 1;
  }
}
