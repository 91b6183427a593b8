import { describe, expect, it } from "vitest";
import { pinDisplayOf } from "./pinning";

const cid = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyka";
const remote = (status: "queued" | "pinning" | "pinned" | "failed" | "unpinning" | "off", attempts = 0, reason: string | null = null) => ({
  cid,
  status,
  attempts,
  nextAttemptAt: null,
  reason,
  updatedAt: 1,
});

describe("pin state in the records list", () => {
  it("says where the bytes are: the platform's node always, the service when it pinned them", () => {
    expect(pinDisplayOf(remote("pinned"))).toMatchObject({ kind: "pinned", settled: true, text: expect.stringMatching(/IPFS node and pinned remotely/) });
    expect(pinDisplayOf(remote("off"))).toMatchObject({ kind: "local", settled: true, text: expect.stringMatching(/no pinning service is configured/) });
    expect(pinDisplayOf(undefined)).toMatchObject({ kind: "checking", settled: false });
  });

  it("keeps asking while the service works or the API retries, and says why it retries", () => {
    expect(pinDisplayOf(remote("queued"))).toMatchObject({ kind: "waiting", settled: false, text: expect.stringMatching(/pinning service: queued\.$/) });
    expect(pinDisplayOf(remote("queued", 2, "the pinning service answered 503"))).toMatchObject({ text: expect.stringMatching(/retrying \(attempt 3: the pinning service answered 503\)/) });
    expect(pinDisplayOf(remote("unpinning"))).toMatchObject({ kind: "removing", settled: false });
    expect(pinDisplayOf({ status: "unavailable", reason: "down" })).toMatchObject({ kind: "unknown", settled: false, text: expect.stringMatching(/unknown \(down\)/) });
  });

  it("shows a pin the service failed as failed, which only the patient changes", () => {
    expect(pinDisplayOf(remote("failed", 8, "the pinning service reported the pin failed"))).toMatchObject({ kind: "failed", settled: true });
  });
});
