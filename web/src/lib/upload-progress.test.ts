import { describe, expect, it } from "vitest";
import { overallProgress, storeFraction, storeStage, throttledProgress, type StoreProgress } from "./upload-progress";

const at = (encrypted: number, sent: number, sendTotal = 110): StoreProgress => ({ encrypted, size: 100, sent, sendTotal });

describe("upload progress", () => {
  it("moves forward through the stages and never reaches 1 before the upload is done", () => {
    const steps = [at(0, 0), at(50, 0), at(100, 0), at(100, 55), at(100, 110)];
    const points = [...steps.map((p) => overallProgress(storeStage(p), storeFraction(p))), overallProgress("indexing"), overallProgress("anchoring")];
    expect(points).toEqual([...points].sort((a, b) => a - b));
    expect(points[0]).toBe(0);
    expect(Math.max(...points)).toBeLessThan(1);
  });

  it("counts encrypting and sending half each, whether the sending runs alongside (blocks) or after (one request)", () => {
    expect(storeFraction(at(50, 0, 0))).toBe(0.25); // the ciphertext's size not known yet
    expect(storeFraction(at(50, 55))).toBe(0.5); // blocks: sent just behind the encryption
    expect(storeFraction(at(100, 0))).toBe(0.5); // one request: all encrypted, nothing sent yet
    expect(storeFraction(at(100, 110))).toBe(1);
    expect(storeStage(at(99, 100))).toBe("encrypting");
    expect(storeStage(at(100, 0))).toBe("uploading");
  });

  it("clamps a stage's part", () => {
    expect(overallProgress("encrypting", 2)).toBe(overallProgress("encrypting", 1));
    expect(overallProgress("indexing", -1)).toBe(overallProgress("indexing", 0));
  });

  it("passes at most one report per interval, but always a stage's first and the step's last", () => {
    const passed: string[] = [];
    let clock = 0;
    const report = throttledProgress((p) => passed.push(`${p.encrypted}/${p.sent}`), 100, () => clock);
    for (const [time, progress] of [
      [0, at(10, 0)],
      [40, at(20, 0)],
      [99, at(30, 0)],
      [100, at(40, 0)],
      [150, at(100, 0)], // a new stage: uploading
      [160, at(100, 50)],
      [170, at(100, 110)], // the last
    ] as const) {
      clock = time;
      report(progress);
    }
    expect(passed).toEqual(["10/0", "40/0", "100/0", "100/110"]);
  });
});
