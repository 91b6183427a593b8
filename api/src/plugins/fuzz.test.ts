import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { malformedRequests, Random, routesOf, type FuzzRequest, type OpenApi } from "../../test/fuzz-cases.js";
import { startTestStack, type TestStack } from "../../test/stack.js";

// FUZZ_SEED=<n> replays a failing run; FUZZ_COUNT raises the number of requests.
const SEED = Number(process.env.FUZZ_SEED ?? randomInt(2 ** 31));
const COUNT = Number(process.env.FUZZ_COUNT ?? 1_200);
const CONCURRENCY = 8;

let stack: TestStack;

beforeAll(async () => {
  // The API as it runs (main.ts wires every route, a real chain behind it); the rate limit exempts
  // loopback here (test/stack.ts), since its own test is in hardening.test.ts.
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

interface Answer {
  request: FuzzRequest;
  status: number;
  contentType: string;
  body: string;
}

async function send(base: string, request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${base}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(15_000),
  });
  return { request, status: response.status, contentType: response.headers.get("content-type") ?? "", body: await response.text() };
}

/** Why an answer is not a coded 4xx problem document; undefined when it is. */
function fault(answer: Answer): string | undefined {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}`;
  if (!answer.contentType.startsWith("application/problem+json")) return `content-type "${answer.contentType}"`;
  try {
    const problem = JSON.parse(answer.body) as { code?: unknown; status?: unknown };
    if (typeof problem.code !== "string" || !/^[A-Z_]+$/.test(problem.code)) return "no code";
    if (problem.status !== answer.status) return `body status ${String(problem.status)}`;
  } catch {
    return "body is not JSON";
  }
  return undefined;
}

describe(`fuzz (seed ${SEED})`, () => {
  it(`answers ${COUNT} malformed requests across every route with a coded 4xx problem, and stays up`, async () => {
    const spec = (await (await fetch(`${stack.api.url}/docs/json`)).json()) as OpenApi;
    const routes = routesOf(spec);
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${routes.length} routes: ${routes.map((r) => `${r.method} ${r.template}`).join(", ")}`);
    expect(routes.map((r) => `${r.method} ${r.template}`)).toEqual(expect.arrayContaining(["POST /anchors", "GET /anchors/{leaf}", "GET /healthz", "POST /consents/relay", "GET /consents/{consentId}", "POST /consults/token", "GET /audit"]));
    const requests = malformedRequests(routes, COUNT, new Random(SEED));

    const answers: Answer[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          answers.push(await send(stack.api.url, request));
        }
      }),
    );

    const faults = answers
      .map((answer) => ({ answer, why: fault(answer) }))
      .filter((f) => f.why !== undefined)
      .map(({ answer, why }) => `${why}: ${answer.request.kind} ${answer.request.method} ${answer.request.path.slice(0, 120)} -> ${answer.body.slice(0, 200)}`);
    expect(faults, `seed ${SEED}`).toEqual([]);
    expect(answers).toHaveLength(COUNT);
    // Every route was hit, and each kind of malformation was tried.
    const kinds = new Set(answers.map((a) => a.request.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(15);
    expect(new Set(answers.map((a) => a.status)).size).toBeGreaterThan(3);

    expect(stack.api.child.exitCode).toBeNull();
    const health = await fetch(`${stack.api.url}/healthz`);
    expect(health.status).toBe(200);
    expect(stack.api.output()).not.toMatch(/unhandled error|"level":50|"level":60/);
  });
});
