import { describe, expect, it } from "vitest";
import { notRewrappedWords, unreadableWords } from "./unreadable";

describe("unreadable documents in words", () => {
  it("says nothing when every document opened", () => {
    expect(unreadableWords(0, "shares")).toBe("");
    expect(notRewrappedWords(0)).toBe("");
  });

  it("says how many shares or records were left out of the list, and that the others are listed", () => {
    expect(unreadableWords(1, "shares")).toBe("1 of your shares could not be opened with this device's key (written under another key, or altered); the others are listed.");
    expect(unreadableWords(3, "records")).toBe("3 of your records could not be opened with this device's key (written under another key, or altered); the others are listed.");
  });

  it("says how many shares a rotation could not give the new key", () => {
    expect(notRewrappedWords(1)).toBe("1 share could not be opened with this device's key, so it did not get the new key.");
    expect(notRewrappedWords(2)).toBe("2 shares could not be opened with this device's key, so they did not get the new key.");
  });
});
