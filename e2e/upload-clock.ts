// The page's side of e2e/upload-bench.run.ts, shared by its two drivers (Playwright, and the bare DevTools
// pipe of e2e/upload-bench-cdp.ts): functions whose source runs in the page, so they use nothing from here.

interface UploadClock {
  uploadClock: Promise<number>;
}

/**
 * Arms the page's clock for one upload: `window.uploadClock` resolves with the seconds from the next click
 * event to the frame after the upload form says `message` (as `addRecord` is timed in Node), and rejects with
 * the form's error if the upload fails instead.
 */
export function armUploadClock(message: string): void {
  performance.clearMarks();
  (window as unknown as UploadClock).uploadClock = new Promise((resolve, reject) => {
    let clickedAt: number | undefined;
    document.addEventListener("click", (event) => (clickedAt ??= event.timeStamp), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const failed = document.querySelector('form[aria-labelledby="upload-title"] [role="alert"]')?.textContent;
      if (failed) {
        observer.disconnect();
        reject(new Error(failed));
        return;
      }
      if (clickedAt === undefined || !document.querySelector('[data-testid="upload-outcome"]')?.textContent?.includes(message)) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve((performance.now() - clickedAt!) / 1000));
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  // A driver that reads it only after seeing the message must not leave a failure unhandled meanwhile.
  (window as unknown as UploadClock).uploadClock.catch(() => undefined);
}

export function readUploadClock(): Promise<number> {
  return (window as unknown as UploadClock).uploadClock;
}

/** Where the upload's time went, from the page's marks (encrypting, uploading, indexing, anchoring, done). */
export function uploadStages(): string[] {
  const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("openchart-upload:"));
  return marks.slice(0, -1).map((m, i) => `${m.name.split(":")[1]} ${Math.round(marks[i + 1]!.startTime - m.startTime)} ms`);
}

export interface LongTasks {
  longest: number;
  /** Every long task with the upload stage it fell in (the page's performance marks), for the log. */
  tasks: string[];
}

interface LongTaskWatch {
  longTasks: PerformanceEntry[];
  longTaskObserver: PerformanceObserver;
}

/** Starts collecting the page's long tasks (PerformanceObserver "longtask": tasks over 50 ms). */
export function startLongTasks(): void {
  const w = window as unknown as LongTaskWatch;
  w.longTasks = [];
  w.longTaskObserver = new PerformanceObserver((list) => {
    w.longTasks.push(...list.getEntries());
  });
  w.longTaskObserver.observe({ type: "longtask" });
}

/** Stops collecting and answers the longest (0 if none) and each task's stage. */
export function stopLongTasks(): LongTasks {
  const w = window as unknown as LongTaskWatch;
  w.longTasks.push(...w.longTaskObserver.takeRecords());
  w.longTaskObserver.disconnect();
  const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("openchart-upload:"));
  const stageAt = (time: number) => marks.filter((m) => m.startTime <= time).at(-1)?.name.split(":")[1] ?? "before";
  return {
    longest: Math.max(0, ...w.longTasks.map((t) => t.duration)),
    tasks: w.longTasks.map((t) => `${Math.round(t.duration)} ms (${stageAt(t.startTime)})`),
  };
}
