/**
 * What must stay for the model to understand the question: eponymous conditions, drug names and
 * the small words a name or a place never starts with. A name recognizer trained on prose takes
 * "Parkinson", "Keppra" or "Bell" for people; these lists (English and Spanish) veto that.
 */

const words = (text: string): Set<string> => new Set(text.trim().split(/\s+/).map((w) => w.toLowerCase()));

/** Eponyms that are never anyone's name in a health conversation (unless the patient's dictionary says so). */
export const EPONYMS = words(`
  parkinson parkinson's alzheimer alzheimer's crohn crohn's hodgkin hodgkin's apgar addison addison's hashimoto hashimoto's
  cushing cushing's huntington huntington's tourette tourette's asperger asperger's raynaud raynaud's sjögren sjogren sjögren's
  guillain barré barre kawasaki marfan klinefelter wilms ewing kaposi barrett barrett's ménière meniere meniere's ménière's
  peyronie dupuytren gehrig epstein burkitt hirschsprung tay gaucher fabry pompe duchenne charcot babinski glasgow
  epworth mcburney kernig brudzinski homans romberg trendelenburg heimlich valsalva holter nissen billroth
  colles osgood schlatter perthes bartholin skene fallopian eustachian achilles broca wernicke korsakoff reye rett
  angelman prader noonan ehlers danlos willebrand zollinger chagas lyme creutzfeldt mallory budd
  chiari dubin crigler najjar brugada takayasu buerger behçet behcet bechterew wegener chiari walker
  sturge meckel tietze virchow cheyne kussmaul korotkoff gleason breslow ranson snellen mantoux
  papanicolaou pap coombs heberden bouchard hashimotos graves' bell's down's baker's murphy's paget's wilson's still's
  lewy guillain-barré guillain-barre epstein-barr tay-sachs ehlers-danlos creutzfeldt-jakob wolff-parkinson-white
  kaplan-meier bland-altman glasgow-blatchford child-pugh swan-ganz roux-en-y osgood-schlatter legg-calvé-perthes
  hb hba1c ldl hdl tsh inr
`);

/** Eponyms that are also common surnames: a condition only beside a word such as "disease" or after "síndrome de". */
export const EPONYMS_IN_CONTEXT = words(`
  weiss stokes walker weber ellison stevens foley reiter horner ramsay tanner pugh whipple dandy sachs willi jakob budd swan ganz roux
  down turner wilson williams bell smith hunter becker gilbert still conn graves paget osler wells murphy baker christmas
  hurler fanconi bowen burkitt lou cori pott colles bennett jones wolff white carter conn addison marie tooth friedreich
  lesch nyhan alport bartter gitelman liddle kallmann kearns sayre leigh menkes norrie patau edwards angelman cowden lynch
  gardner peutz jeghers klippel trenaunay feil moyamoya dressler kehr cullen grey brown sequard brown-séquard argyll robertson
  adie holmes bouchard heberden harrison tinel phalen finkelstein allen lachman mcmurray thompson simmonds hoffmann
`);

/** The word after an eponym that makes it a condition, sign, score or procedure. */
export const EPONYM_HEADS =
  /^\s*(?:'s?\s+|’s?\s+|s\s+)?(?:disease|syndrome|syndromes|sign|signs|score|scale|palsy|lymphoma|sarcoma|tumou?r|fracture|cyst|test|manoeuvre|maneuver|reflex|phenomenon|node|nodes|tube|catheter|procedure|operation|repair|esophagus|oesophagus|ulcer|triad|criteria|classification|level|respiration|contracture|gland|duct|tendon|area|aphasia|encephalopathy|anomaly|anemia|anaemia|disorder|dementia|thyroiditis|ataxia|dystrophy|chorea|monitor|law|formula|equation|stage|staging|thickness|pouch|space|body|bodies|cells?|curve|method|position|bag|mask|rules?|(?:ankle|knee|foot|c-spine|head|ct head|sah|pe|dvt)\s+rules?|coma\s+scale|risk\s+score|neuroma|spotted\s+fever|fever|rings?|index|indices|system|variant|category|classification|heterozygosity|homozygosity|mutation|\p{L}+(?:oma|omas|itis|osis|pathy|plasty|ectomy|otomy))\b/iu;
export const EPONYM_LEADS =
  /(?<![\p{L}])(?:enfermedad|s[ií]ndrome|sarcoma|linfoma|escala|test|prueba|maniobra|signo|[ií]ndice|puntuaci[oó]n|criterios|fractura|quiste|par[aá]lisis|demencia|tiroiditis|variante|categor[ií]a|clasificaci[oó]n|estadificaci[oó]n|disease|syndrome|test|variant|factor\s+[IVX]+)\s+(?:de\s+|of\s+)?$/iu;

/** Brand and generic drug names a recognizer may take for a person or a place (generics in lower case rarely are). */
export const DRUGS = words(`
  keppra lasix zoloft xanax lyrica norvasc synthroid eliquis xarelto januvia jardiance ozempic humira lipitor crestor plavix
  coumadin flomax levaquin cipro augmentin tylenol advil motrin aleve zyrtec claritin benadryl ambien valium ativan klonopin
  seroquel abilify lexapro prozac wellbutrin cymbalta effexor neurontin topamax lamictal depakote tegretol dilantin lantus
  humalog novolog victoza trulicity mounjaro wegovy entresto brilinta pradaxa protonix nexium prilosec pepcid singulair
  ventolin advair symbicort spiriva medrol keflex bactrim diflucan valtrex tamiflu paxlovid narcan suboxone adderall ritalin
  concerta viagra cialis premarin estrace provera aricept namenda sinemet requip mirapex toprol lopressor coreg zestril
  prinivil diovan cozaar benicar hyzaar aldactone bumex demadex glucophage amaryl actos tradjenta farxiga invokana levemir
  tresiba toujeo basaglar xigduo janumet keytruda opdivo herceptin avastin rituxan revlimid gleevec tagrisso ibrance
  enbrel remicade stelara dupixent otezla xeljanz rinvoq skyrizi cosentyx taltz orencia actemra simponi cimzia kevzara
  lovenox heparin zofran reglan phenergan compazine dramamine imodium miralax colace dulcolax senokot linzess amitiza
  flagyl zithromax biaxin doxy vibramycin macrobid monurol diflucan nystatin lamisil xifaxan vancocin dificid
  norco vicodin percocet oxycontin dilaudid ultram toradol celebrex mobic voltaren naprosyn tramadol fentanyl morphine
  gabapentin pregabalin metformin lisinopril amlodipine atorvastatin rosuvastatin simvastatin levothyroxine losartan
  warfarin apixaban rivaroxaban dabigatran clopidogrel aspirin insulin prednisone dexamethasone hydrocortisone furosemide
  spironolactone hydrochlorothiazide metoprolol carvedilol bisoprolol propranolol sertraline fluoxetine escitalopram
  citalopram bupropion venlafaxine duloxetine trazodone mirtazapine quetiapine olanzapine risperidone aripiprazole lithium
  levetiracetam lamotrigine valproate topiramate carbamazepine phenytoin omeprazole pantoprazole esomeprazole ondansetron
  amoxicillin azithromycin doxycycline ciprofloxacin levofloxacin cephalexin nitrofurantoin vancomycin ceftriaxone
  salbutamol albuterol budesonide fluticasone tiotropium montelukast semaglutide liraglutide tirzepatide dulaglutide
  empagliflozin dapagliflozin sitagliptin glipizide glimepiride pioglitazone allopurinol colchicine febuxostat
  methotrexate adalimumab etanercept infliximab rituximab pembrolizumab nivolumab trastuzumab tamoxifen letrozole
  anastrozole paracetamol acetaminophen ibuprofen naproxen diclofenac metamizol nolotil enantyum adiro sintrom
  eutirox orfidal lexatin trankimazin tranxilium valium dormicum almax omeprazol pantoprazol ibuprofeno metformina
  enalapril ramipril amlodipino atorvastatina simvastatina levotiroxina losartán losartan furosemida espironolactona
  bisoprolol sertralina fluoxetina escitalopram lorazepam alprazolam diazepam clonazepam tramadol morfina insulina
  prednisona dexametasona amoxicilina azitromicina ciprofloxacino levofloxacino salbutamol budesonida fluticasona
  montelukast semaglutida empagliflozina dapagliflozina sitagliptina alopurinol colchicina metotrexato acenocumarol
  heparina enoxaparina clopidogrel rivaroxabán apixabán dabigatrán digoxina amiodarona nitroglicerina ventolin
  seretide symbicort spiriva lyrica januvia jardiance forxiga ozempic trulicity victoza lantus tresiba novorapid humalog
`);

/** Words a name or a city never is, though a recognizer or a frame may catch them. */
export const NOT_NAMES = words(`
  patient pt pts doctor dr nurse mom mum dad mother father wife husband son daughter sister brother baby
  hi hello hey thanks thank dear regards yes no ok okay please sorry today tomorrow yesterday tonight
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
  october november december er ed icu ct mri ecg ekg bp hr rr spo2 covid covid-19 hiv hcv hbv tb uti copd chf ckd dm htn
  paciente doctora médico medico enfermera madre padre mamá mama papá papa hijo hija esposo esposa marido hermano hermana
  hola gracias buenos buenas días dias tardes noches señor señora sr sra srta don doña
  lunes martes miércoles miercoles jueves viernes sábado sabado domingo enero febrero marzo abril mayo junio julio agosto
  septiembre octubre noviembre diciembre urgencias uci
  god jesus lord allah dios english spanish español ingles inglés american mexican
  christmas xmas easter thanksgiving halloween navidad nochebuena nochevieja pascua ramadan eid hanukkah diwali
  medicare medicaid tylenol team colleague colleagues sir madam all everyone doctors nurses staff department ward unit
  genetics cardiology neurology oncology radiology dermatology gastroenterology nephrology urology psychiatry pediatrics
  endocrinology rheumatology hematology orthopedics surgery medicine emergency pharmacy clinic hospital lab laboratory
  tía tío abuela abuelo nieta nieto sobrina sobrino prima primo cuñada cuñado suegra suegro
  alta ingreso informe diagnóstico diagnostico tratamiento analítica analitica fecha nombre edad domicilio remite
  summary report note letter form results result record records discharge admission referral history
  cole colegio
  moca mmse gcs phq gad audit
  digestivo cardiología neurología endocrinología neurocirugía pediatría urgencias consulta consultas planta
`);

/** Function words: a name or a place is never one; also how a text's language is told. */
export const ENGLISH_WORDS = words(`
  the a an and or but of to in on at by for with from is are was were be been has have had do does did not no it its
  this that these those he she his her they them their we our you your i me my what which who when where how why
  than then so if as up out about into over after before again very can will would should could may might must
`);
export const SPANISH_WORDS = words(`
  el la los las un una unos unas y o pero de del al a en por para con sin sobre es son fue fueron ser estar está están
  ha han había tiene tienen tenía que qué como cómo cuando cuándo donde dónde quien quién su sus mi mis tu tus nos les le lo
  se me te ya muy más menos también porque pues desde hasta entre durante hace años este esta estos estas ese esa
`);

/** Whether a word at `start..end` of `text` is clinical vocabulary rather than somebody's name. */
export function isClinicalWord(word: string, text: string, start: number, end: number): boolean {
  const lower = word.toLowerCase().replace(/[’]/g, "'");
  const bare = lower.replace(/'s?$/, "");
  if (EPONYMS.has(lower) || EPONYMS.has(bare) || DRUGS.has(bare) || NOT_NAMES.has(bare)) return true;
  // "Wolff" of "Wolff-Parkinson-White": a part of a hyphenated eponym.
  const compound = /^[\p{L}'’-]*/u.exec(text.slice(end, end + 60))![0];
  const whole = (/[\p{L}'’-]*$/u.exec(text.slice(Math.max(0, start - 60), start))![0] + word + compound).toLowerCase();
  if (whole.includes("-") && whole.split("-").some((part) => EPONYMS.has(part.replace(/'s?$/, "")))) return true;
  if (/^\p{Lu}{2,}\d*$/u.test(word) && word.length <= 5) return true; // an acronym: ECG, HbA1c is caught above
  const after = text.slice(end, end + 40);
  const before = text.slice(Math.max(0, start - 40), start);
  // "ottawa rules", "wells score" typed in lower case: a rule or a score after a word makes it the rule's name.
  if (/^\s*(?:(?:ankle|knee|foot|c-spine|head|dvt|pe)\s+)?(?:rules?|criteria|score|scale)\b/i.test(after)) return true;
  if (EPONYMS_IN_CONTEXT.has(bare) || /^\p{Lu}/u.test(word)) {
    // "Down syndrome", "Bell's palsy", "síndrome de Down", "Parkinson-like"
    const next = after.replace(/^(?:[-\s]+\p{Lu}[\p{L}'’]*)*/u, "");
    if (EPONYM_HEADS.test(next) || EPONYM_LEADS.test(before)) return true;
  }
  // "Keppra 500 mg": a dose after it makes it a drug.
  return /^\s*\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|g|ml|units?|iu|ui|puffs?|tabs?|comprimidos?)\b/i.test(after);
}

/** Whether a word may be a name: no English or Spanish function word is. */
export const isNameWord = (word: string): boolean => !ENGLISH_WORDS.has(word.toLowerCase()) && !SPANISH_WORDS.has(word.toLowerCase());
