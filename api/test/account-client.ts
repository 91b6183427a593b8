// Signed-in users of an in-process API, for the account routes' tests (keys, devices, recovery,
// notifications): each has a real did-session signed by a wallet, as the web app makes one.
import { signedFetch, type Notification, type SigningSession } from "@openchart/sdk";
import { API_AUDIENCE, walletSession, type TestWallet } from "@openchart/testkit/session";
import type { InProcessApi } from "./in-process-api.js";

export interface TestUser {
  session: SigningSession;
  wallet: TestWallet;
  did: string;
}

export async function testUser(wallet?: TestWallet): Promise<TestUser> {
  const made = await walletSession(wallet ? { wallet } : {});
  return { session: made.session, wallet: made.wallet, did: made.session.did.parent };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Sends a request signed by `who`'s session and reads the JSON answer (or nothing, for 204). */
export async function call<T = Record<string, unknown>>(api: InProcessApi, who: TestUser, method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<Answer<T>> {
  const response = await signedFetch(
    who.session,
    `${api.url}${path}`,
    { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) },
    { audience: API_AUDIENCE },
  );
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

export async function notificationsOf(api: InProcessApi, who: TestUser): Promise<Notification[]> {
  const answer = await call<{ notifications: Notification[] }>(api, who, "GET", "/notifications");
  if (answer.status !== 200) throw new Error(`GET /notifications answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.notifications;
}

/** The audit entries about `did` with `prefix` actions, as action/decision pairs (oldest first). */
export async function auditOf(api: InProcessApi, did: string, prefix: string): Promise<{ action: string; decision: string; reason?: unknown }[]> {
  return (await api.store.audit.entries({ subject: did, limit: 1000 }))
    .filter((e) => e.action.startsWith(prefix))
    .map((e) => ({ action: e.action, decision: e.decision, ...(e.refs.reason === undefined ? {} : { reason: e.refs.reason }) }));
}
