import { describe, expect, it } from "vitest";
import { overallProgress } from "./upload-progress";

describe("upload progress", () => {
  it("moves forward through the stages and never reaches 1 before the upload is done", () => {
    const points = [
      overallProgress("encrypting", 0, 100),
      overallProgress("encrypting", 50, 100),
      overallProgress("encrypting", 100, 100),
      overallProgress("uploading", 10, 100),
      overallProgress("uploading", 100, 100),
      overallProgress("indexing"),
      overallProgress("anchoring"),
    ];
    expect(points).toEqual([...points].sort((a, b) => a - b));
    expect(points[0]).toBe(0);
    expect(Math.max(...points)).toBeLessThan(1);
  });

  it("clamps a stage's part, and takes an unknown total as not started", () => {
    expect(overallProgress("encrypting", 200, 100)).toBe(overallProgress("encrypting", 100, 100));
    expect(overallProgress("uploading", 5, 0)).toBe(overallProgress("uploading", 0, 100));
  });
});
