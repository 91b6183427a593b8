import { describe, expect, it } from "vitest";
import { shareDaysProblem, titleProblem, uploadFileProblem } from "./validation";

describe("form values refused with a reason", () => {
  it("says why a share's days are refused: 0, -3, 99999, 1.5, empty", () => {
    expect(shareDaysProblem(0)).toBe("A share lasts at least 1 day.");
    expect(shareDaysProblem(-3)).toBe("A share lasts at least 1 day.");
    expect(shareDaysProblem(99999)).toMatch(/^A share lasts at most 365 days/);
    expect(shareDaysProblem(1.5)).toMatch(/^Enter whole days/);
    expect(shareDaysProblem(null)).toMatch(/^Enter a number of days/);
    expect(shareDaysProblem(Number.NaN)).toMatch(/^Enter a number of days/);
    expect(shareDaysProblem(1)).toBeNull();
    expect(shareDaysProblem(365)).toBeNull();
  });

  it("refuses an empty file with a sentence, and accepts one byte", () => {
    expect(uploadFileProblem({ size: 0 })).toMatch(/^This file is empty \(0 bytes\)/);
    expect(uploadFileProblem({ size: 1 })).toBeNull();
    expect(uploadFileProblem(null)).toBeNull();
  });

  it("asks for a title, and refuses one too long", () => {
    expect(titleProblem("  ")).toMatch(/^Give the record a title/);
    expect(titleProblem("x".repeat(1000))).toMatch(/^A title has at most/);
    expect(titleProblem("Blood panel")).toBeNull();
  });
});
