/// <reference types="node" />
import { parseArgs } from "node:util";
import { Deidentifier, SPAN_CLASSES } from "../deidentify/index.js";
import { CliError, readJsonFile, type ExitCode } from "./common.js";

export const redactUsage =
  "openchart redact [--json] [--name NAME]... [--birth-date YYYY-MM-DD] [--address LINE]... [--terms terms.json] [--shift DAYS] [--rules-only]  < text";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * `openchart redact`: text on stdin, the de-identified text on stdout (what the assistant would send);
 * `--json` prints every span found with its class, value and placeholder. The same module runs in the
 * browser, in the sdk's AI client and in the API's second pass. Dates move by `--shift` days (random by default).
 */
export async function redactCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: "boolean", default: false },
      name: { type: "string", multiple: true },
      "birth-date": { type: "string" },
      address: { type: "string", multiple: true },
      terms: { type: "string" },
      shift: { type: "string" },
      // The rules without the trained tagger (sdk/src/deidentify/ner.ts): to see what the tagger adds.
      "rules-only": { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new CliError(`the text comes on stdin, not as arguments\nusage: ${redactUsage}`);
  const fromFile = values.terms ? (readJsonFile(values.terms, "terms file") as { names?: string[]; birthDate?: string; address?: string[]; other?: string[] }) : {};
  const shift = values.shift === undefined ? undefined : Number(values.shift);
  if (shift !== undefined && !Number.isInteger(shift)) throw new CliError(`--shift takes a whole number of days, got "${values.shift}"`);
  const birthDate = values["birth-date"] ?? fromFile.birthDate;
  if (birthDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new CliError(`--birth-date takes YYYY-MM-DD, got "${birthDate}"`);
  const deidentifier = new Deidentifier({
    terms: {
      names: [...(fromFile.names ?? []), ...(values.name ?? [])],
      address: [...(fromFile.address ?? []), ...(values.address ?? [])],
      other: fromFile.other ?? [],
      ...(birthDate === undefined ? {} : { birthDate }),
    },
    ...(shift === undefined ? {} : { dateShiftDays: shift }),
    model: !values["rules-only"],
  });
  const result = deidentifier.deidentify(await readStdin());
  if (!values.json) {
    process.stdout.write(result.text);
    return 0;
  }
  const spans = result.spans.map(({ start, end, class: spanClass, value, placeholder }) => ({ start, end, class: spanClass, group: SPAN_CLASSES[spanClass].group, value, placeholder }));
  console.log(JSON.stringify({ text: result.text, dateShiftDays: deidentifier.dateShiftDays, spans }, null, 2));
  return 0;
}
