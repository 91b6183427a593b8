import { describe, expect, it } from "vitest";
import { PADDING_MAX_OVERHEAD, paddedSize } from "./padding.js";

const overhead = (n: number) => (paddedSize(n) - n) / n;

describe("paddedSize (Padmé)", () => {
  it("matches the paper's worked values", () => {
    expect([0, 1, 2, 3, 8, 9, 10, 11, 12, 100, 1000].map(paddedSize)).toEqual([0, 1, 2, 3, 8, 10, 10, 12, 12, 104, 1024]);
    // Powers of two are their own class; 2^20 + 1 rounds up to the next multiple of 2^15.
    expect(paddedSize(2 ** 20)).toBe(2 ** 20);
    expect(paddedSize(2 ** 20 + 1)).toBe(2 ** 20 + 2 ** 15);
  });

  it("never shrinks, is monotone and idempotent, and its overhead stays <= 12% (every size to 2^16)", () => {
    let previous = 0;
    let worst = 0;
    const broken: number[] = [];
    for (let n = 1; n <= 2 ** 16; n++) {
      const p = paddedSize(n);
      if (p < n || p < previous || paddedSize(p) !== p) broken.push(n);
      worst = Math.max(worst, overhead(n));
      previous = p;
    }
    expect(broken).toEqual([]);
    expect(worst).toBeLessThanOrEqual(PADDING_MAX_OVERHEAD);
    expect(worst).toBeCloseTo(15 / 129, 10); // the worst case: 129 -> 144
  });

  it("overhead <= 12% sampled to 10^6 and around every power of two to 2^52", () => {
    let worst = 0;
    for (let n = 2 ** 16; n <= 1_000_000; n += 7) worst = Math.max(worst, overhead(n));
    for (let e = 1; e <= 52; e++) for (const n of [2 ** e - 1, 2 ** e, 2 ** e + 1]) worst = Math.max(worst, overhead(n));
    expect(worst).toBeLessThanOrEqual(PADDING_MAX_OVERHEAD);
  });

  it("leaks few bits: a few hundred size classes between 1 MB and 1 GB (not a billion sizes)", () => {
    const classes = new Set<number>();
    for (let n = 1_000_000; n <= 1_000_000_000; n += 997) classes.add(paddedSize(n));
    expect(classes.size).toBeLessThan(400);
  });

  it("refuses what is not a byte count", () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => paddedSize(bad)).toThrow(/byte count/);
  });
});
