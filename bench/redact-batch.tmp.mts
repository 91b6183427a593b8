import { findIdentifierSpans } from "../sdk/dist/deidentify/index.js";
import { figuresOf, readCorpus, score } from "./redact-score.mts";
const NEW = new Set((process.env.IDS ?? "").split(",").filter(Boolean));
const texts = readCorpus().filter((t) => t.split === "dev" && (NEW.size === 0 || NEW.has(t.id)));
const s = score(texts, (t) => findIdentifierSpans(t));
console.log(texts.length, JSON.stringify(figuresOf(s), (_k, v) => (typeof v === "number" ? Math.round(v * 1000) / 1000 : v)));
console.log(s.gold, s.found);
for (const m of s.missed) console.log(`missed ${m.id} ${m.class} ${JSON.stringify(m.value)}`);
for (const f of s.falsePositives) console.log(`extra  ${f.id} ${f.class} ${JSON.stringify(f.value)}`);
