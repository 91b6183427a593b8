import { describe, expect, it } from "vitest";
import { describeError, problemError, toUserError, UserFacingError } from "./problems";

describe("errors in words a patient understands", () => {
  it("maps API problem codes to sentences and keeps the detail", () => {
    const error = problemError(403, { code: "LICENSE_REFUSED", detail: "revoked" });
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.message).toBe("This doctor's license could not be verified.");
    expect(error.code).toBe("LICENSE_REFUSED");
    expect(describeError(error)).toBe("This doctor's license could not be verified. (revoked)");
  });

  it("falls back on the HTTP status when the body is not a problem document", () => {
    expect(problemError(404, undefined).code).toBe("NOT_FOUND");
    expect(problemError(502, undefined).code).toBe("INTERNAL");
    expect(problemError(418, { code: "TEAPOT" }).message).toBe("The server refused the request.");
  });

  it("recognises a wallet refusal, sdk codes and network failures", () => {
    expect(toUserError(Object.assign(new Error("User rejected"), { code: 4001 })).code).toBe("USER_REJECTED");
    expect(toUserError({ code: "ACTION_REJECTED", message: "rejected" }).code).toBe("USER_REJECTED");
    const sdk = toUserError(Object.assign(new Error("bad tag"), { name: "OpenChartError", code: "TAMPERED" }));
    expect(sdk.message).toMatch(/changed/);
    expect(toUserError(new TypeError("Failed to fetch")).code).toBe("NETWORK");
    expect(toUserError("boom")).toMatchObject({ code: "UNKNOWN", detail: "boom" });
  });
});
