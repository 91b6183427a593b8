import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrameSplitter, launchCdpChromium, type CdpBrowser } from "./cdp.js";

describe("FrameSplitter", () => {
  it("cuts NUL-terminated frames wherever the chunks split them, multi-byte characters included", () => {
    const splitter = new FrameSplitter();
    const wire = Buffer.from('{"id":1}\0{"method":"é"}\0{"id":2,"result":{}}\0');
    // Split inside a frame, right after a NUL, and inside the two bytes of "é".
    const cuts = [3, 9, 21, 22, wire.length];
    const frames: string[] = [];
    let at = 0;
    for (const cut of cuts) {
      frames.push(...splitter.push(wire.subarray(at, cut)));
      at = cut;
    }
    expect(frames).toEqual(['{"id":1}', '{"method":"é"}', '{"id":2,"result":{}}']);
    expect(splitter.push(Buffer.from("{"))).toEqual([]);
  });
});

describe("launchCdpChromium", () => {
  let browser: CdpBrowser;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    browser = await launchCdpChromium();
    server = http.createServer((_, response) => response.end("<!doctype html><title>t</title><input type=file>"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it("evaluates in a page, awaiting promises, and reports the page's exceptions and unknown methods", async () => {
    const page = await browser.newPage();
    expect(await page.evaluate((n: number) => Promise.resolve(n * 2), 21)).toBe(42);
    await expect(page.evaluate(() => Promise.reject(new Error("nope")))).rejects.toThrow(/in the page: Error: nope/);
    await expect(page.send("Nothing.here")).rejects.toThrow(/Nothing\.here: .*wasn't found/);
  });

  it("runs init scripts and exposed functions in each new document, answers and failures alike", async () => {
    const page = await browser.newPage();
    await page.send("Page.enable");
    await page.send("Runtime.enable");
    const calls: string[] = [];
    await page.exposeFunction("shout", async (text) => {
      calls.push(text);
      if (text === "fail") throw new Error("told to fail");
      return text.toUpperCase();
    });
    await page.addInitScript((tag: string) => ((window as unknown as { tag: string }).tag = tag), "set before the page's scripts");
    await page.goto(url);
    const answers = await page.evaluate(async () => {
      const w = window as unknown as { tag: string; shout: (t: string) => Promise<string> };
      const failed = await w.shout("fail").catch((error: Error) => error.message);
      return [w.tag, ...(await Promise.all([w.shout("a"), w.shout("b")])), failed];
    });
    expect(answers).toEqual(["set before the page's scripts", "A", "B", "told to fail"]);
    expect(calls.sort()).toEqual(["a", "b", "fail"]);
    // The next document gets them again.
    await page.goto(url + "again");
    expect(await page.evaluate(() => (window as unknown as { shout: (t: string) => Promise<string> }).shout("c"))).toBe("C");
  });

  it("sets a file input from a path through a handle", async () => {
    const page = await browser.newPage();
    await page.send("Page.enable");
    await page.goto(url);
    const input = await page.evaluateHandle(() => document.querySelector("input"));
    await page.send("DOM.setFileInputFiles", { objectId: input, files: [import.meta.filename] });
    expect(await page.evaluate(() => document.querySelector("input")!.files![0]!.name)).toBe("cdp.test.ts");
  });
});
