/// <reference types="node" />
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openShl, parseShlink } from "../shl/index.js";
import { CliError, type ExitCode } from "./common.js";

export const shlUsage = "openchart shl open <shlink:/... or viewer link> --recipient NAME [--passcode CODE] [--out DIR]";

/**
 * `openchart shl open`: opens any SMART Health Link as a viewer would (decrypted here), and writes each file
 * to DIR (`file-1.json`, ..., mode 0600) or prints them as JSON lines ({ contentType, text }).
 */
export async function shlCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    options: { recipient: { type: "string" }, passcode: { type: "string" }, out: { type: "string" } },
    allowPositionals: true,
  });
  const [verb, link, ...rest] = positionals;
  if (verb !== "open" || !link || rest.length > 0) throw new CliError(`usage: ${shlUsage}`);
  if (!values.recipient) throw new CliError("--recipient is required: the IG asks a viewer to say who opens the link");
  const files = await openShl(parseShlink(link), { recipient: values.recipient, ...(values.passcode ? { passcode: values.passcode } : {}) });
  if (values.out) fs.mkdirSync(values.out, { recursive: true, mode: 0o700 });
  files.forEach((file, index) => {
    if (values.out) {
      const name = path.join(values.out, `file-${index + 1}.${file.contentType.includes("json") || file.contentType.includes("smart") ? "json" : "bin"}`);
      fs.writeFileSync(name, file.bytes, { mode: 0o600 });
      console.log(`${name}\t${file.contentType}\t${file.bytes.length} bytes`);
    } else {
      console.log(JSON.stringify({ contentType: file.contentType, text: new TextDecoder().decode(file.bytes) }));
    }
  });
  return 0;
}
