import { describe, expect, it } from "vitest";
import { OpenChartError } from "../errors.js";
import { CodedError } from "./coded-error.js";
import { API_ERRORS, isApiErrorCode, problemTypeOf, readProblem } from "./problem.js";

describe("the API's error vocabulary", () => {
  it("gives every code an error status, a title and a SCREAMING_SNAKE name", () => {
    for (const [code, { status, title }] of Object.entries(API_ERRORS)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(title.length).toBeGreaterThan(0);
    }
    expect(isApiErrorCode("UNKNOWN_LEAF")).toBe(true);
    expect(isApiErrorCode("toString")).toBe(false);
    expect(problemTypeOf("IDEMPOTENCY_KEY_REUSED")).toBe("https://openchart.dev/problems/idempotency-key-reused");
  });

  it("reads a problem document, and keeps what a partial one carries", () => {
    const problem = { type: "t", title: "Unknown leaf", status: 404, code: "UNKNOWN_LEAF", detail: "no such leaf" };
    expect(readProblem(problem)).toEqual(problem);
    expect(readProblem({ code: "RATE_LIMITED" })).toEqual({ code: "RATE_LIMITED" });
    expect(readProblem({ code: 7 })).toEqual({});
    expect(readProblem("<html>bad gateway</html>")).toEqual({});
    expect(readProblem(undefined)).toEqual({});
  });

  it("is the base of the sdk's errors", () => {
    const error = new OpenChartError("NOT_FOUND", "gone", { cause: 1 });
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toMatchObject({ name: "OpenChartError", code: "NOT_FOUND", message: "gone", cause: 1 });
  });
});
