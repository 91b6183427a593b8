/**
 * Text read by OCR from a photo or a scan mixes up letters and digits that look alike: "8812O447", "O3/O9/1941",
 * "(O2) 9441 8827" (a letter O in a number), "H0LLAND", "R0drigues", "Dav1d" (a digit in a name). The rules and the
 * recognizer read a copy with each slip undone, one character for one, so every offset stays that of the original
 * and what is removed is what was written.
 */

const DIGIT_FOR = { O: "0", o: "0", I: "1", l: "1" } as const;

/** A number with a letter slipped in: digits and look-alikes, digits among them. */
function undoInNumber(token: string, before: string, after: string): string | undefined {
  if (!/^[0-9OoIl]+$/.test(token) || !/\d/.test(token) || !/[OoIl]/.test(token)) return undefined;
  const digits = token.replace(/\D/g, "").length;
  // Alone, "O2" is oxygen and "l1" a level: only a longer number, or one joined to another by / . - or in brackets
  // before more digits ("(O2) 9441"), is taken for a number.
  const joined = /[/.:-]$/.test(before) || /^[/.:-][0-9OoIl]/.test(after) || (/\($/.test(before) && /^\)\s?\d/.test(after));
  if (digits < 3 && !joined) return undefined;
  return token.replace(/[OoIl]/g, (c) => DIGIT_FOR[c as keyof typeof DIGIT_FOR]);
}

/** A word with a 0 or a 1 between two letters of the same case ("H0LLAND", "Dav1d"), or after a capital that starts it ("R0drigues"). */
function undoInWord(token: string): string | undefined {
  if (!/^\p{L}[\p{L}01]*\p{L}$/u.test(token) || !/[01]/.test(token) || token.replace(/\P{L}/gu, "").length < 3) return undefined;
  let out = "";
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    if (c !== "0" && c !== "1") {
      out += c;
      continue;
    }
    const [prev, next] = [token[i - 1]!, token[i + 1]!];
    const upper = (x: string) => /\p{Lu}/u.test(x);
    const lower = (x: string) => /\p{Ll}/u.test(x);
    const sameCase = (upper(prev) && upper(next)) || (lower(prev) && lower(next));
    const afterInitial = i === 1 && upper(prev) && lower(next);
    // "HbA1c", "IL1B" stay: a code's case changes around its digit.
    if (!/\p{L}/u.test(next ?? "") || !(sameCase || afterInitial)) return undefined;
    const letter = c === "0" ? "o" : "i";
    out += upper(next) && upper(prev) ? letter.toUpperCase() : letter;
  }
  return out;
}

export function undoOcrSlips(text: string): string {
  if (!/\p{L}[01]\p{L}|[0-9][OoIl]|[OoIl][0-9]/u.test(text)) return text;
  return text.replace(/[\p{L}\p{N}]+/gu, (token, offset: number) => {
    if (!/\p{L}/u.test(token) || !/\p{N}/u.test(token)) return token;
    const fixed = undoInNumber(token, text.slice(Math.max(0, offset - 1), offset), text.slice(offset + token.length, offset + token.length + 3)) ?? undoInWord(token);
    return fixed !== undefined && fixed.length === token.length ? fixed : token;
  });
}
