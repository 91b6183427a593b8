// What a patient page says about documents of theirs this device's key could not open (sealed under another
// key, or altered): the lists show the others, and one plain sentence says some are missing, so a short list
// is not taken for the whole of it.

/** The sentence beside a list that left out `count` of the patient's records or shares; "" when none was. */
export function unreadableWords(count: number, what: "records" | "shares"): string {
  if (count <= 0) return "";
  return `${count} of your ${what} could not be opened with this device's key (written under another key, or altered); the others are listed.`;
}

/** After a key rotation: the shares that could not be opened, so did not get the new key; "" when none. */
export function notRewrappedWords(count: number): string {
  if (count <= 0) return "";
  const one = count === 1;
  return `${count} share${one ? "" : "s"} could not be opened with this device's key, so ${one ? "it" : "they"} did not get the new key.`;
}
