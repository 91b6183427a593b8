// timeline1000Ms for `npm run bench:web`: the web app's own RecordTimeline component, in Chromium, mounted
// with 1,000 decrypted record summaries (what the records page renders once listRecords has opened their
// headers), then searched. Times: mount until the list is painted, then typing a search until the one
// match is painted. Baseline in the same page: 1,000 plain <li> of the same titles built with the DOM API.
import { flushSync, mount } from "svelte";
import RecordTimeline from "../../web/src/components/patient/RecordTimeline.svelte";
import { CATEGORIES } from "../../web/src/lib/record-kinds";

const COUNT = 1_000;
const TYPES = ["application/pdf", "image/png", "text/csv", "application/fhir+json", "text/plain"];
const records = Array.from({ length: COUNT }, (_, i) => ({
  id: `kjzl6kcym7w8y${String(i).padStart(6, "0")}`,
  title: `${["Blood panel", "Chest X-ray", "Discharge letter", "Vaccination", "Referral"][i % 5]} ${String(i).padStart(4, "0")}`,
  mediaType: TYPES[i % TYPES.length]!,
  size: 10_000 + i * 997,
  createdAt: new Date(Date.UTC(2026, 0, 1) + i * 7 * 3_600_000).toISOString(),
  keyVersion: 1,
  ...(i % 3 === 0 ? {} : { category: CATEGORIES[i % CATEGORIES.length]!.code }),
}));

const painted = () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));

async function measure(): Promise<Record<string, number>> {
  const target = document.getElementById("app")!;
  // Baseline: the same titles as plain list items, no framework.
  const baselineStart = performance.now();
  const list = document.createElement("ul");
  for (const r of records) list.append(Object.assign(document.createElement("li"), { textContent: `${r.title} ${r.createdAt}` }));
  target.append(list);
  const baselineMs = (await painted()) - baselineStart;
  list.remove();

  const start = performance.now();
  mount(RecordTimeline, { target, props: { records, hrefOf: (r: { id: string }) => `#/patient/records/${r.id}` } });
  flushSync();
  const listedAt = await painted();
  const shown = document.querySelectorAll("[data-testid=record]").length;
  const search = document.querySelector<HTMLInputElement>("input[type=search]")!;
  const searchStart = performance.now();
  search.value = "referral 0999";
  search.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
  const foundAt = await painted();
  const found = document.querySelectorAll("[data-testid=record]").length;
  return {
    shown,
    found,
    listMs: listedAt - start,
    searchMs: foundAt - searchStart,
    baselineMs,
  };
}

void measure().then((figures) => {
  (window as unknown as { timeline: unknown }).timeline = figures;
});
