import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DATA_FORMAT, checkDataFormat } from "./data-format";

describe("the data folder's format", () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-format-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("marks a new folder (owner-only) and accepts it on the next start", () => {
    const dir = fresh();
    checkDataFormat(dir);
    const file = path.join(dir, "format.json");
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ format: DATA_FORMAT });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(() => checkDataFormat(dir)).not.toThrow();
  });

  it("stops on a folder of the public models (no marker), naming --reset in one line", () => {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, "ceramic"));
    expect(() => checkDataFormat(dir)).toThrow(/^[^\n]*format 1[^\n]*npm start -- --reset/);
    expect(fs.existsSync(path.join(dir, "format.json"))).toBe(false);
  });

  it("marks a folder that holds only what both formats share (the agent's database and key, logs)", () => {
    const dir = fresh();
    for (const name of ["agent.sqlite", "agent-secret.key"]) fs.writeFileSync(path.join(dir, name), "");
    fs.mkdirSync(path.join(dir, "logs"));
    expect(() => checkDataFormat(dir)).not.toThrow();
    expect(JSON.parse(fs.readFileSync(path.join(dir, "format.json"), "utf8"))).toEqual({ format: DATA_FORMAT });
  });

  it.each([1, 2])("stops on a folder marked with format %i", (format) => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, "format.json"), JSON.stringify({ format }));
    expect(() => checkDataFormat(dir)).toThrow(new RegExp(`^[^\\n]*format ${format}; this one needs format ${DATA_FORMAT}[^\\n]*--reset`));
  });
});
