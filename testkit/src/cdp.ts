import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium.js";

/**
 * A bare Chrome DevTools Protocol client over `--remote-debugging-pipe`, for measuring a page as a user's
 * browser runs it. Playwright enables the Network domain on every page and every worker it attaches to (it
 * cannot be turned off), and Chromium then reports each request, with byte bodies copied into the events, to
 * the test's process on the same cores. This client sends only what its caller sends: it attaches to no worker
 * and enables no domain by itself.
 */

type Json = Record<string, unknown>;
type Listener = (params: Json, sessionId: string | undefined) => void;

interface Pending {
  resolve: (result: Json) => void;
  reject: (error: Error) => void;
  method: string;
}

/**
 * The protocol's framing on the pipe: one JSON message per NUL-terminated frame, split arbitrarily across
 * the chunks a stream delivers. Returns the complete frames and keeps the rest for the next chunk.
 */
export class FrameSplitter {
  private rest: Buffer[] = [];

  push(chunk: Buffer): string[] {
    const frames: string[] = [];
    let start = 0;
    for (let end = chunk.indexOf(0, start); end !== -1; end = chunk.indexOf(0, start)) {
      this.rest.push(chunk.subarray(start, end));
      frames.push(Buffer.concat(this.rest).toString("utf8"));
      this.rest = [];
      start = end + 1;
    }
    if (start < chunk.length) this.rest.push(chunk.subarray(start));
    return frames;
  }
}

export class CdpConnection {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private closed: Error | undefined;

  constructor(
    private readonly output: Writable,
    input: Readable,
  ) {
    const splitter = new FrameSplitter();
    input.on("data", (chunk: Buffer) => {
      for (const frame of splitter.push(chunk)) this.dispatch(JSON.parse(frame) as Json);
    });
    input.on("close", () => this.fail(new Error("the browser closed the DevTools pipe")));
    output.on("error", (error: Error) => this.fail(error));
  }

  /** Sends a command (to a target's session when `sessionId` is given) and resolves with its result. */
  send<T = Json>(method: string, params: Json = {}, sessionId?: string): Promise<T> {
    if (this.closed) return Promise.reject(this.closed);
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: Json) => void, reject, method });
      this.output.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    });
  }

  /** Calls `listener` for every event named `method`; returns the function that stops it. */
  on(method: string, listener: Listener): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private dispatch(message: Json): void {
    if (typeof message.id === "number") {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      const error = message.error as { message?: string; data?: string } | undefined;
      if (error) pending.reject(new Error(`${pending.method}: ${error.message}${error.data ? ` (${error.data})` : ""}`));
      else pending.resolve((message.result ?? {}) as Json);
      return;
    }
    const method = message.method as string;
    for (const listener of this.listeners.get(method) ?? []) listener((message.params ?? {}) as Json, message.sessionId as string | undefined);
  }

  private fail(error: Error): void {
    this.closed ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

interface RemoteObject {
  value?: unknown;
  objectId?: string;
}

interface EvaluateResult {
  result: RemoteObject;
  exceptionDetails?: { text: string; exception?: { description?: string } };
}

/** One page, attached with a flat session. */
export class CdpPage {
  constructor(
    readonly connection: CdpConnection,
    readonly sessionId: string,
  ) {}

  send<T = Json>(method: string, params: Json = {}): Promise<T> {
    return this.connection.send<T>(method, params, this.sessionId);
  }

  /** Events of this page only. */
  on(method: string, listener: (params: Json) => void): () => void {
    return this.connection.on(method, (params, sessionId) => {
      if (sessionId === this.sessionId) listener(params);
    });
  }

  /**
   * Runs `fn(arg)` in the page (its source, so it must not close over anything) and answers its value, its
   * promise awaited. `arg` and the value travel as JSON.
   */
  async evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    return (await this.evaluateRemote(fn, arg, true)).value as R;
  }

  /** The same, answering a handle to the value (for DOM.* commands that take an objectId). */
  async evaluateHandle<A>(fn: (arg: A) => unknown, arg?: A): Promise<string> {
    const { objectId } = await this.evaluateRemote(fn, arg, false);
    if (!objectId) throw new Error("the expression answered no object");
    return objectId;
  }

  private async evaluateRemote(fn: (arg: never) => unknown, arg: unknown, returnByValue: boolean): Promise<RemoteObject> {
    const expression = `(${fn.toString()})(${arg === undefined ? "" : JSON.stringify(arg)})`;
    const answer = await this.send<EvaluateResult>("Runtime.evaluate", { expression, awaitPromise: true, returnByValue });
    if (answer.exceptionDetails) {
      const { text, exception } = answer.exceptionDetails;
      throw new Error(`in the page: ${exception?.description ?? text}`);
    }
    return answer.result;
  }

  /**
   * Makes `window[name](text)` in every document the page loads from now on call `fn` in this process and
   * resolve with its answer (what Playwright's exposeFunction does, over Runtime.addBinding; needs
   * Runtime.enable for the binding's events). Text in, text out.
   */
  async exposeFunction(name: string, fn: (text: string) => Promise<string>): Promise<void> {
    const binding = `__cdpBinding_${name}`;
    this.on("Runtime.bindingCalled", (params) => {
      if (params.name !== binding) return;
      const { id, text } = JSON.parse(params.payload as string) as { id: number; text: string };
      const contextId = params.executionContextId as number;
      const settle = (ok: boolean, value: string) =>
        this.send("Runtime.evaluate", { expression: `window[${JSON.stringify(`${binding}_settle`)}](${id}, ${ok}, ${JSON.stringify(value)})`, contextId }).catch(
          () => undefined, // the document went away meanwhile: nobody waits for the answer
        );
      fn(text).then(
        (value) => settle(true, value),
        (error: unknown) => settle(false, String((error as Error)?.message ?? error)),
      );
    });
    await this.send("Runtime.addBinding", { name: binding });
    // The binding itself takes one string and answers nothing: a promise per call, settled from here.
    const shim = (names: { binding: string; name: string }) => {
      const w = window as unknown as Record<string, unknown>;
      const send = w[names.binding] as (payload: string) => void;
      const waiting = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
      let next = 0;
      w[names.name] = (text: string) =>
        new Promise<string>((resolve, reject) => {
          const id = ++next;
          waiting.set(id, { resolve, reject });
          send(JSON.stringify({ id, text }));
        });
      w[`${names.binding}_settle`] = (id: number, ok: boolean, value: string) => {
        const call = waiting.get(id);
        waiting.delete(id);
        if (ok) call?.resolve(value);
        else call?.reject(new Error(value));
      };
    };
    await this.addInitScript(shim, { binding, name });
  }

  /** Runs `fn(arg)` in every document before its own scripts (Page.addScriptToEvaluateOnNewDocument). */
  async addInitScript<A>(fn: (arg: A) => void, arg: A): Promise<void> {
    await this.send("Page.addScriptToEvaluateOnNewDocument", { source: `(${fn.toString()})(${JSON.stringify(arg)})` });
  }

  /** Navigates and waits for the load event (Page.enable must have been sent). */
  async goto(url: string): Promise<void> {
    let loaded!: () => void;
    const load = new Promise<void>((resolve) => (loaded = resolve));
    const stop = this.on("Page.loadEventFired", () => loaded());
    try {
      const { errorText } = await this.send<{ errorText?: string }>("Page.navigate", { url });
      if (errorText) throw new Error(`navigating to ${url}: ${errorText}`);
      await load;
    } finally {
      stop();
    }
  }
}

export interface CdpBrowser {
  connection: CdpConnection;
  process: ChildProcess;
  /** A new page (tab), attached; nothing enabled on it. */
  newPage(): Promise<CdpPage>;
  close(): Promise<void>;
}

/**
 * The testkit's Chromium (CHROMIUM, same flags as launchChromium) with the DevTools protocol on a pipe (fds 3
 * and 4) instead of Playwright, in a fresh profile that close() removes.
 */
export async function launchCdpChromium(): Promise<CdpBrowser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: see testkit/src/chromium.ts`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-cdp-"));
  const child = spawn(CHROMIUM, [...CHROMIUM_ARGS, "--remote-debugging-pipe", `--user-data-dir=${profile}`, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const connection = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await connection.send("Browser.close").catch(() => child.kill("SIGKILL"));
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    }
    fs.rmSync(profile, { recursive: true, force: true });
  };
  try {
    await connection.send("Browser.getVersion");
  } catch (error) {
    await close();
    throw new Error(`${CHROMIUM} did not answer on its DevTools pipe: ${(error as Error).message}\n${stderr}`);
  }
  return {
    connection,
    process: child,
    async newPage() {
      const { targetId } = await connection.send<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await connection.send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
      return new CdpPage(connection, sessionId);
    },
    close,
  };
}
