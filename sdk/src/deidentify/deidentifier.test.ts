import { describe, expect, it } from "vitest";
import { Deidentifier } from "./deidentifier.js";
import { findIdentifierSpans } from "./find.js";
import { SPAN_CLASSES } from "./span-classes.js";

const redact = (text: string, options: ConstructorParameters<typeof Deidentifier>[0] = {}) => new Deidentifier({ dateShiftDays: 10, ...options }).deidentify(text).text;
const classesIn = (text: string) => findIdentifierSpans(text).map((s) => `${s.class}:${s.value}`);

// Issue 19's note, on which the API's old hand-written redaction let most identifiers through.
const NOTE =
  "Patient Maria Gonzalez, born 03/14/1962, MRN 00458812, SSN 123-45-6789, lives at 42 Elm Street, Springfield IL 62704. " +
  "Seen by Dr. John Smith at St. Mary's Hospital. Her daughter Ana Gonzalez called on 2026-11-02. Insurance ID XKJ-4471-9920. IP 192.168.4.17.";

describe("Deidentifier: what is removed", () => {
  it("removes every identifier of the issue's note, each with its class", () => {
    expect(classesIn(NOTE)).toEqual([
      "NAME:Maria Gonzalez", "DATE:03/14/1962", "MRN:00458812", "SSN:123-45-6789", "STREET:42 Elm Street", "CITY:Springfield", "ZIP:62704",
      "NAME:John Smith", "FACILITY:St. Mary's Hospital", "NAME:Ana Gonzalez", "DATE:2026-11-02", "PLAN:XKJ-4471-9920", "IP:192.168.4.17",
    ]);
  });

  it.each([
    ["a phone number with a country code", "call +44 20 7946 0958 tonight", "PHONE:+44 20 7946 0958"],
    ["a fax number", "fax (405) 555-0160", "PHONE:(405) 555-0160"],
    ["a Spanish mobile", "mi móvil es 612 345 678", "PHONE:612 345 678"],
    ["an email", "write to Jane.Doe+clinic@mail.example.org", "EMAIL:Jane.Doe+clinic@mail.example.org"],
    ["an email written to fool bots", "b.okafor77 at gmail dot com", "EMAIL:b.okafor77 at gmail dot com"],
    ["a URL", "portal https://mychart.example.org/login", "URL:https://mychart.example.org/login"],
    ["an IPv6 address", "from 2001:db8::8a2e:370:7334 today", "IP:2001:db8::8a2e:370:7334"],
    ["a Spanish DNI", "DNI 12345678Z", "SSN:12345678Z"],
    ["a licence plate", "plate 8KLM392", "VEHICLE:8KLM392"],
    ["a device serial", "pacemaker serial RNB204811S", "DEVICE:RNB204811S"],
    ["an NPI", "NPI 1457389021", "LICENSE:1457389021"],
    ["a card number", "card 4111 1111 1111 1111", "ACCOUNT:4111 1111 1111 1111"],
    ["a DID", "my DID did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK.", "DID:did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"],
    ["a wallet address", "paid from 0x8ba1f109551bD432803012645Ac136ddd64DBA72", "WALLET:0x8ba1f109551bD432803012645Ac136ddd64DBA72"],
    ["a Ceramic stream ID", "record kjzl6kcym7w8y7fx0e2dmh4fwl1ncqmcq5s5ym2t6ux5bh5mcz8wmxo5yv6qq3c", "RECORD:kjzl6kcym7w8y7fx0e2dmh4fwl1ncqmcq5s5ym2t6ux5bh5mcz8wmxo5yv6qq3c"],
    ["a CID", "file bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "RECORD:bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"],
    ["a lower-case name after a relation word", "my wife linda is here", "NAME:linda"],
    ["a Spanish address", "vivimos en Calle Mayor 12, 28013 Madrid", "STREET:Calle Mayor 12"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it("declares one group for every class, and each group has a class", () => {
    for (const spec of Object.values(SPAN_CLASSES)) expect(["names", "dates", "locations", "contacts", "identifiers"]).toContain(spec.group);
  });
});

describe("Deidentifier: what is kept", () => {
  it("keeps eponymous conditions, drugs, doses, lab values and anatomy", () => {
    const text =
      "Parkinson's disease, Down syndrome, Hodgkin lymphoma, Crohn's disease, an Apgar score of 9, Bell's palsy, Graves disease, " +
      "Wolff-Parkinson-White, Hashimoto's thyroiditis, Guillain-Barré syndrome. Keppra 500 mg bid, Lasix 40 mg, metformin 1000 mg, " +
      "HbA1c 7.2%, INR 2.7, LDL 3.1 mmol/L, BP 145/90, platelets 250000/uL, WBC 11.8 x10^3/uL. Achilles tendon, left anterior descending artery, " +
      "síndrome de Down, enfermedad de Parkinson, puntuación de Apgar.";
    expect(findIdentifierSpans(text)).toEqual([]);
  });

  it("keeps the condition a patient is seen for at a named hospital", () => {
    expect(redact("Admitted to St. Mary's Hospital for Crohn's disease, then Royal Hospital for Children for Down syndrome.")).toBe(
      "Admitted to [FACILITY_1] for Crohn's disease, then [FACILITY_2] for Down syndrome.",
    );
  });

  it("keeps years alone, weekdays, times, ages up to 89 and relative dates", () => {
    const text = "In 2019 she was 67 years old; seen on Tuesday at 10:30, two weeks ago, follow up tomorrow. He is 89.";
    expect(findIdentifierSpans(text)).toEqual([]);
  });

  it("sends ages over 89 as 90+", () => {
    expect(redact("A 93-year-old man; his mother is 101 and she is 91.")).toBe("A [AGE:90+]-year-old man; his mother is [AGE:90+] and she is [AGE:90+].");
  });
});

describe("Deidentifier: placeholders and dates", () => {
  it("gives one person one placeholder however written, and a shared surname its own", () => {
    const conversation = new Deidentifier({ dateShiftDays: 0, terms: { names: ["Maria Gonzalez"] } });
    const { messages } = conversation.deidentifyMessages([
      { role: "user", content: "I am Maria Gonzalez. My daughter Ana Gonzalez helps me." },
      { role: "assistant", content: "Hello Maria." },
      { role: "user", content: "maria here again; Gonzalez is our family name." },
    ]);
    expect(messages.map((m) => m.content)).toEqual([
      "I am [NAME_1]. My daughter [NAME_2] helps me.",
      "Hello [NAME_1].",
      "[NAME_1] here again; [NAME_3] is our family name.",
    ]);
  });

  it("shifts every date of a conversation by one offset, keeping intervals and the precision written", () => {
    const conversation = new Deidentifier({ dateShiftDays: -40 });
    expect(conversation.deidentify("Admitted 03/01/2025, discharged March 8, 2025; next visit 2025-04-01; diagnosed in May 2024; born on 14 Feb.").text).toBe(
      "Admitted [DATE:2025-01-20], discharged [DATE:2025-01-27]; next visit [DATE:2025-02-20]; diagnosed in [DATE:2024-04]; born on [DATE:--01-05].",
    );
    // The same date written another way, later in the conversation: the same placeholder.
    expect(conversation.deidentify("Back on 1 March 2025.").text).toBe("Back on [DATE:2025-01-20].");
  });

  it("takes the patient's own terms as a dictionary: names the recognizer cannot know, the birth date in any numeric form, the address", () => {
    const text = "Xqrt Blomvik (dob 19620314) lives at Rua das Flores 7, Vila Nova; call Xqrt.";
    const terms = { names: ["Xqrt Blomvik"], birthDate: "1962-03-14", address: ["Rua das Flores 7", "Vila Nova"] };
    expect(redact(text, { terms })).toBe("[NAME_1] (dob [DATE:1962-03-24]) lives at [STREET_1], [CITY_1]; call [NAME_1].");
  });

  it("maps the model's placeholders back for the patient, also across streamed pieces, and never invents a value", () => {
    const conversation = new Deidentifier({ dateShiftDays: 5 });
    conversation.deidentify("Dr. John Smith saw me on 2025-01-10 at St. Mary's Hospital.");
    const answer = "Ask [NAME_1] at [FACILITY_1] about the visit on [DATE:2025-01-15] (2025-01-15); [NAME_7] is unknown.";
    expect(conversation.reidentify(answer)).toBe("Ask John Smith at St. Mary's Hospital about the visit on 2025-01-10 (2025-01-10); [NAME_7] is unknown.");
    const stream = conversation.reidentifyStream();
    const pieces = ["Ask [NA", "ME_1] at [FACI", "LITY_1] on 2025-0", "1-15."].map((p) => stream.push(p));
    expect(pieces.join("") + stream.end()).toBe("Ask John Smith at St. Mary's Hospital on 2025-01-10.");
    expect(pieces[0]).toBe("Ask ");
  });

  it("leaves placeholders already in a text as they are: a second pass changes nothing", () => {
    const once = new Deidentifier({ dateShiftDays: 30 }).deidentify(NOTE).text;
    expect(new Deidentifier({ dateShiftDays: 99 }).deidentify(once).text).toBe(once);
  });

  it("stays linear on adversarial input (a run of numbers, thousands of names in a row, no '@' in a long word)", () => {
    for (const text of ["1-".repeat(20_000), "Maria ".repeat(8_000), "a.".repeat(20_000), "+1 (2) ".repeat(5_000)]) {
      expect(() => new Deidentifier().deidentify(text)).not.toThrow();
    }
    expect(new Deidentifier({ dateShiftDays: 1 }).deidentify("Maria ".repeat(8_000)).text).not.toMatch(/Maria/);
  });
});
