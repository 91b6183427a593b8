/**
 * The one error shape of every workspace: a stable machine code that callers branch on (SCREAMING_SNAKE),
 * and a message for people. The API's `ApiError` and the sdk's `OpenChartError` extend it; the agent,
 * which does not depend on the sdk, throws an `AgentError` of the same shape (checked by the API's tests).
 */
export class CodedError<Code extends string = string> extends Error {
  override readonly name: string = "CodedError";
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
