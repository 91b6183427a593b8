/** Every failure the sdk reports carries a stable code that callers can branch on. */
export type OpenChartErrorCode =
  | "INVALID_INPUT"
  | "INVALID_RECEIPT"
  | "INVALID_DEPLOYMENT"
  | "WRONG_NETWORK"
  | "NOT_FOUND"
  | "SERVICE_ERROR";

export class OpenChartError extends Error {
  override readonly name = "OpenChartError";
  constructor(
    readonly code: OpenChartErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function invalidInput(message: string): OpenChartError {
  return new OpenChartError("INVALID_INPUT", message);
}
