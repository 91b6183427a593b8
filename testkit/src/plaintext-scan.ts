import fs from "node:fs";
import path from "node:path";

export interface ScanResult {
  /** Files read, as raw bytes. */
  files: number;
  bytes: number;
  /** Files in which the marker, or its base64 at any alignment, occurs. */
  hits: string[];
}

/** The byte patterns that give a secret away: the marker itself, and its base64 at each of the three alignments. */
export function markerPatterns(marker: string): Buffer[] {
  const raw = Buffer.from(marker, "utf8");
  const patterns = [raw];
  for (let shift = 0; shift < 3; shift++) {
    // The middle of the encoding is stable whatever precedes the marker: drop the partial edge groups.
    const encoded = Buffer.concat([Buffer.alloc(shift), raw]).toString("base64");
    patterns.push(Buffer.from(encoded.slice(4, -4), "ascii"));
  }
  return patterns;
}

/** Reads every file under `root` (IPFS blocks, SQLite databases and journals, logs) and reports those holding the marker. */
export function scanForMarker(root: string, marker: string): ScanResult {
  const patterns = markerPatterns(marker);
  const result: ScanResult = { files: 0, bytes: 0, hits: [] };
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) {
        let content: Buffer;
        try {
          content = fs.readFileSync(full);
        } catch (error) {
          // A live node's transient files (SQLite's -journal) may vanish between listing and reading.
          if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
          throw error;
        }
        result.files++;
        result.bytes += content.length;
        if (patterns.some((p) => content.includes(p))) result.hits.push(path.relative(root, full));
      }
    }
  };
  visit(root);
  return result;
}
