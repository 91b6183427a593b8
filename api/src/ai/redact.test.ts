import { describe, expect, it } from "vitest";
import { redactMessages } from "./redact.js";

const redact = (content: string, names: string[] = []): string => redactMessages([{ role: "user", content }], names).messages[0]!.content;

const ADDRESS = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";
const DID = `did:pkh:eip155:31337:${ADDRESS.toLowerCase()}`;
const CONSENT_ID = `0x${"3f".repeat(32)}`;
const STREAM_ID = "kjzl6kcym7w8y7fx0e2dmh4fwl1ncqmcq5s5ym2t6ux5bh5mcz8wmxo5yv6qq3c";
const CID = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
const CID_V0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";

describe("redactMessages", () => {
  it.each([
    ["a did:pkh DID (address inside included)", `my DID is ${DID}, ok?`, `my DID is [DID_1], ok?`],
    ["a did:key DID", "key did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK.", "key [DID_1]."],
    ["an email", "write to Jane.Doe+clinic@mail.example.org today", "write to [EMAIL_1] today"],
    ["an Ethereum address", `paid from ${ADDRESS}`, "paid from [ADDRESS_1]"],
    ["a consent id (32-byte hex)", `consent ${CONSENT_ID} expired`, "consent [ID_1] expired"],
    ["a bare sha-256 digest", `hash ${"ab".repeat(32)}`, "hash [ID_1]"],
    ["a UUID", "order 123e4567-e89b-12d3-a456-426614174000 sent", "order [ID_1] sent"],
    ["a Ceramic stream ID", `record ceramic://${STREAM_ID} is mine`, "record ceramic://[RECORD_1] is mine"],
    ["a CIDv1", `file ipfs://${CID}`, "file ipfs://[RECORD_1]"],
    ["a CIDv0", `file /ipfs/${CID_V0}`, "file /ipfs/[RECORD_1]"],
    ["an international phone number", "call +1 (555) 123-4567 now", "call [PHONE_1] now"],
    ["a German phone number", "Praxis: +49 30 1234567.", "Praxis: [PHONE_1]."],
    ["a dashed phone number", "cell 555-123-4567", "cell [PHONE_1]"],
    ["a dotted phone number", "cell 06.12.34.56.78", "cell [PHONE_1]"],
    ["an unseparated phone number", "mobile 0612345678", "mobile [PHONE_1]"],
  ])("replaces %s", (_kind, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("keeps medical numbers, dates and times", () => {
    const text = "On 2024-03-15 at 10:30 my BP was 120/80, glucose 5.6 mmol/L, 500 mg twice a day, LDL 3.14159, since 15.03.2024; in 2023 1500 steps";
    expect(redact(text)).toBe(text);
  });

  it("replaces names the caller gives, in any case, whole or by part, and not inside other words", () => {
    const names = ["Alice Martin", "Dr. Bob O'Neil"];
    expect(redact("alice MARTIN saw Dr. Bob O'Neil; Martin said Alice should rest. Martinez and Malice are others.", names)).toBe(
      "[NAME_1] saw [NAME_2]; [NAME_1] said [NAME_1] should rest. Martinez and Malice are others.",
    );
    expect(redact("Zoë  Weiß has a cough", ["zoë weiß"])).toBe("[NAME_1] has a cough");
  });

  it("gives one identifier the same placeholder in every message, and numbers the others in order", () => {
    const { messages, counts } = redactMessages(
      [
        { role: "user", content: `I am ${DID}; mail me at a@b.io or c@d.io` },
        { role: "assistant", content: "Noted." },
        { role: "user", content: `Again: ${DID.toUpperCase().replace("DID:PKH:EIP155", "did:pkh:eip155")} and A@B.IO` },
      ],
      [],
    );
    expect(messages.map((m) => m.content)).toEqual(["I am [DID_1]; mail me at [EMAIL_1] or [EMAIL_2]", "Noted.", "Again: [DID_1] and [EMAIL_1]"]);
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(counts).toEqual({ DID: 1, EMAIL: 2 });
  });

  it("prefers the longer identifier where two overlap: an email is not split by a name in it", () => {
    expect(redact("alice@clinic.example wrote", ["Alice"])).toBe("[EMAIL_1] wrote");
  });

  it("leaves text without identifiers untouched and counts nothing", () => {
    const { messages, counts } = redactMessages([{ content: "What does a high LDL mean?" }], ["  ", "x"]);
    expect(messages[0]!.content).toBe("What does a high LDL mean?");
    expect(counts).toEqual({});
  });
});
