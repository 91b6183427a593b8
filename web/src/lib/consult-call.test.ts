import { describe, expect, it } from "vitest";
import { describeCallState, type CallState } from "./consult-call";
import { problemError } from "./problems";

const reason = (code: string, detail: string) => problemError(0, { code, detail }).message;

describe("the call's state in words", () => {
  it("names the other party by role and says why a call ended, in the app's sentences", () => {
    const words = (state: CallState, other = "doctor") => describeCallState(state, other, reason);
    expect(words({ kind: "waiting" })).toBe("Waiting room: waiting for the doctor to join.");
    expect(words({ kind: "negotiating" }, "patient")).toBe("The patient is here. Connecting the video…");
    expect(words({ kind: "connected" })).toBe("In the call with the doctor.");
    expect(words({ kind: "reconnecting" })).toMatch(/^The connection was lost/);
    expect(words({ kind: "ended", code: "CONSENT_REVOKED", detail: "the patient revoked this consent" })).toBe("The call ended: The patient revoked this consent.");
    expect(words({ kind: "ended", code: "LICENSE_REVOKED", detail: "x" })).toBe("The call ended: Your medical license was revoked or suspended: you cannot join consults with it.");
    expect(words({ kind: "ended", code: "CALL_REPLACED", detail: "x" })).toBe("The call ended: You joined this call from another window or tab; it continues there.");
    expect(words({ kind: "left" })).toBe("You left the call.");
  });
});
