/**
 * A department or a specialty named after a hospital, in a letterhead or a referral ("Groote Schuur Hospital,
 * Neurology", "VA Palo Alto - Polytrauma", "Royal Devon - Clinical Biochemistry", "Referral to Infectious Diseases",
 * "Dear Cardiology Team"): its words are a field of medicine and the words that qualify one, never a town, a
 * facility's own name or a person. A name the frames or the recognizer took is dropped when every word is such a one.
 */
const FIELD_ENDING = /(?:olog(?:y|ies|ía|ia|ie)|ologic(?:al)?|ológic[oa]|iatr(?:y|ics|ía|ia)|etics|istry|ics|trauma|ergy|opathy|ectomy|ología|iatría|cirug[ií]a|medicina)$/i;

const QUALIFIERS = new Set(
  `clinical surgical medical anatomical molecular chemical cellular infectious diseases disease sexual reproductive mental
  health paediatric pediatric adult child children's women's men's internal general family emergency acute critical
  intensive care palliative primary community public occupational sports tropical travel transplant plastic vascular
  cardiac thoracic spinal renal hepatic respiratory orthopaedic orthopedic maternal fetal neonatal perinatal geriatric
  interventional nuclear diagnostic and & of medicine surgery team department dept service services unit ward clinic
  laboratory laboratories lab labs pathology oncology haematology hematology biochemistry microbiology virology
  immunology genetics oncogenetics radiology imaging nursing midwifery dietetics nutrition rehabilitation rehab
  physiotherapy therapy therapies dentistry sleep pain stroke burns trauma polytrauma endocrine diabetes
  anatomy anatomía anatomia servicio unidad de del la y clínico clinico consulta consultas`.split(/\s+/),
);

export function isSpecialty(value: string): boolean {
  // "Dear Cardiology Team", "To: Paediatric Oncology": the greeting or the address before it is no part of it.
  const words = value.toLowerCase().replace(/^(?:dear|to|from|re|attn|referral\s+to|para|a|de)\b[\s:]*/, "").split(/[\s/,-]+/).filter(Boolean);
  return words.length > 0 && words.some((w) => FIELD_ENDING.test(w) || /^(?:medicine|surgery|diseases|pathology|trauma|polytrauma|haematology|hematology)$/.test(w)) && words.every((w) => QUALIFIERS.has(w) || FIELD_ENDING.test(w));
}
