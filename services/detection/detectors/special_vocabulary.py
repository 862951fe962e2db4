"""More special-category wording, as data: how Dutch and English case files, HR records, referrals and
forms name a condition, a medicine, a belief, an origin, a union or a criminal matter.

Sources (public descriptions, no corpus): the chapter and common condition names of ICD-10 and ICPC-2
(the Dutch GP coding), the generic names of the medicines Dutch pharmacies dispense most (the
Farmacotherapeutisch Kompas and GIP databank list them; generic names are public and say what a person
is treated for), the Autoriteit Persoonsgegevens' and EDPB's descriptions of the categories, the UK
census ethnic groups, the Dutch CBS origin groups and common referral and sick-leave phrasing.

Why this generalises: each list is a closed class that any text describing a person's health, belief,
origin or criminal record draws from (a medicine's generic name, an organ's complaint, a specialist a
person is referred to), not the wording of one file. A term still counts only in prose about a person
(special.describes_a_person), so a pharmacy catalogue, a policy or an insurance brochure that names the
same words describes nobody.
"""

from __future__ import annotations

# the generic names of commonly dispensed medicines, in Dutch and English spelling: a person "gebruikt",
# "slikt" or "is taking" one of these says what they are treated for
MEDICINES = (
    "omeprazol", "omeprazole", "pantoprazol", "pantoprazole", "esomeprazol", "esomeprazole",
    "simvastatine", "simvastatin", "atorvastatine", "atorvastatin", "rosuvastatine", "rosuvastatin",
    "metoprolol", "bisoprolol", "propranolol", "amlodipine", "lisinopril", "enalapril", "perindopril",
    "losartan", "valsartan", "irbesartan", "hydrochloorthiazide", "hydrochlorothiazide", "chloortalidon",
    "furosemide", "spironolacton", "spironolactone", "acetylsalicylzuur", "carbasalaatcalcium",
    "clopidogrel", "apixaban", "rivaroxaban", "dabigatran", "edoxaban", "acenocoumarol", "fenprocoumon",
    "warfarine", "warfarin", "gliclazide", "glimepiride", "sitagliptine", "sitagliptin", "empagliflozine",
    "empagliflozin", "dapagliflozine", "dapagliflozin", "liraglutide", "semaglutide", "levothyroxine",
    "salbutamol", "budesonide", "fluticason", "fluticasone", "tiotropium", "montelukast", "prednison",
    "prednisone", "prednisolon", "prednisolone", "methotrexaat", "methotrexate", "hydroxychloroquine",
    "adalimumab", "etanercept", "infliximab", "levetiracetam", "valproïnezuur", "valproaat", "valproate",
    "lamotrigine", "carbamazepine", "topiramaat", "topiramate", "quetiapine", "olanzapine", "risperidon",
    "risperidone", "haloperidol", "aripiprazol", "aripiprazole", "clozapine", "lithiumcarbonaat",
    "citalopram", "escitalopram", "venlafaxine", "duloxetine", "mirtazapine", "amitriptyline",
    "nortriptyline", "bupropion", "temazepam", "lorazepam", "alprazolam", "zolpidem", "zopiclon",
    "zopiclone", "oxycodon", "oxycodone", "morfine", "morphine", "tramadol", "fentanyl", "buprenorfine",
    "buprenorphine", "naltrexon", "naltrexone", "dexamfetamine", "atomoxetine", "lisdexamfetamine",
    "tamoxifen", "letrozol", "letrozole", "anastrozol", "anastrozole", "gabapentine", "gabapentin",
    "pregabaline", "pregabalin", "allopurinol", "colchicine", "tamsulosine", "tamsulosin", "finasteride",
    "antipsychotica", "antipsychotics", "antiretrovirale", "antiretroviral", "bloedverdunners",
    "bloodthinners", "blood thinners", "slaapmedicatie", "antiepileptica", "pijnstillers", "painkillers",
    "concerta", "medikinet", "seroquel", "prozac", "xanax", "lyrica",
)
# complaints of a body part or of the mind, the way GP notes and sick-leave files write them (Dutch
# compounds with -klachten and the loose form); each names what a person suffers from
_COMPLAINT_STEMS = ("rug", "nek", "knie", "schouder", "hart", "maag", "darm", "buik", "hoofd", "long", "heup",
                    "pols", "enkel", "voet", "spier", "gewrichts", "burn-out", "burnout", "stress", "angst",
                    "pijn", "concentratie", "geheugen", "slaap", "vermoeidheids", "zwangerschaps",
                    "overspannings", "depressie", "adem", "long-covid", "whiplash", "hernia", "bekken")
COMPLAINTS = (
    tuple(f"{stem}klachten" for stem in _COMPLAINT_STEMS)
    + tuple(f"{stem} klachten" for stem in ("burn-out", "burnout", "stress", "long covid"))
    + ("depressieve klachten", "depressive symptoms", "lichamelijke klachten", "zwangerschapsgerelateerde",
       "zwangerschapsgerelateerd", "back pain", "chronic pain", "chronische pijn", "pijn op de borst",
       "chest pain", "hoofdpijnklachten", "panic attacks", "paniekaanvallen", "angstaanvallen")
)
# conditions by their common names (ICD-10 / ICPC-2 chapters: infections, tumours, blood, endocrine,
# mental, nervous system, eye and ear, circulation, respiration, digestion, skin, musculoskeletal,
# kidney, pregnancy, injuries)
CONDITIONS = (
    "longontsteking", "pneumonia", "bronchitis", "griep", "influenza", "ziekte van crohn", "crohn's disease",
    "crohn", "colitis ulcerosa", "ulcerative colitis", "prikkelbare darm", "prikkelbaredarmsyndroom",
    "irritable bowel syndrome", "coeliakie", "coeliac disease", "celiac disease", "hartritmestoornis",
    "boezemfibrilleren", "atriumfibrilleren", "atrial fibrillation", "angina pectoris", "myocardinfarct",
    "myocardial infarction", "cva", "hersenbloeding", "brain haemorrhage", "brain hemorrhage",
    "had a stroke", "suffered a stroke", "slaapstoornis", "sleep disorder", "slaapapneu", "sleep apnoea",
    "sleep apnea", "obesitas", "obesity", "hypothyreoïdie", "hypothyroidism", "hyperthyreoïdie",
    "hyperthyroidism", "schildklieraandoening", "thyroid disease", "nierfalen", "kidney failure",
    "nierziekte", "kidney disease", "leverziekte", "liver disease", "levercirrose", "cirrhosis",
    "osteoporose", "osteoporosis", "jicht", "gout", "psoriasis", "eczeem", "eczema", "lupus", "glaucoom",
    "glaucoma", "maculadegeneratie", "macular degeneration", "tinnitus", "gehoorverlies", "hearing loss",
    "slechthorend", "hearing impairment", "hard of hearing", "visuele beperking", "visual impairment",
    "verlamd", "paralysed", "paralyzed", "dwarslaesie", "spinal cord injury", "amputatie", "amputation",
    "hersenschudding", "concussion", "beenbreuk", "gebroken been", "broken leg", "broken arm",
    "fractuur", "ocd", "obsessive-compulsive disorder", "dwangstoornis",
    "persoonlijkheidsstoornis", "personality disorder", "psychotische episode",
    "psychotic episode", "psychotisch", "psychotic", "suïcidegedachten", "suicidal thoughts",
    "zelfbeschadiging", "self-harm", "alcoholverslaving", "drugsverslaving", "gokverslaving",
    "alcohol abuse", "substance abuse", "drug abuse", "opioid addiction", "verslavingszorg",
    "mental health condition", "mental health problems", "mental health issues", "psychische stoornis",
    "kanker", "prostaatkanker", "prostate cancer", "darmkanker", "bowel cancer", "colon cancer",
    "huidkanker", "skin cancer", "melanoom", "melanoma", "lymfoom", "lymphoma", "hersentumor",
    "brain tumour", "brain tumor", "diabetes mellitus", "type 1 diabetes", "type 2 diabetes",
    "zwangerschapsdiabetes", "gestational diabetes", "zwangerschapsvergiftiging", "pre-eclampsia",
    "preeclampsia", "bevallingsverlof", "zwangerschaps- en bevallingsverlof", "vruchtbaarheidsbehandeling",
    "fertility treatment", "ivf-behandeling", "hiv-besmetting", "chlamydia", "hepatitis b",
    "hepatitis c", "cerebrale parese", "cerebral palsy", "spierziekte", "muscular dystrophy",
    "downsyndroom", "autistisch", "autistic", "gilles de la tourette", "tourette",
    "niet-aangeboren hersenletsel", "verstandelijke beperking", "intellectual disability",
    "lichamelijke handicap", "physical disability", "functiebeperkingen", "arbeidsbeperking",
    # the adjectives that say it of a person ("he's diabetic", "zij is epileptisch")
    "diabetic", "diabeet", "diabetisch", "epileptic", "epileptisch", "asthmatic", "astmatisch", "dyslectisch",
    "dyslexic", "dementerend", "slechtziende", "rolstoelgebruiker", "wheelchair user",
)
# the phrases that say a person is ill, treated, in care or absent for health
CARE_PHRASES = (
    "onder behandeling", "under treatment", "treated for", "being treated for", "receiving treatment",
    "undergoing treatment", "in therapie", "in therapy", "ziek thuis", "ziek gemeld", "meldt zich ziek",
    "meldde zich ziek", "heeft zich ziek gemeld", "ziek uit de running", "called in sick", "off sick",
    "signed off sick", "signed off work", "fit note", "doktersverklaring", "medische verklaring",
    "medical certificate", "re-integratietraject", "re-integratieplan", "re-integratieverslag",
    "plan van aanpak re-integratie", "terugvalpreventie", "spreekuur bedrijfsarts",
    "opgenomen op de paaz", "opgenomen in een kliniek", "opname in de kliniek", "psychiatrische opname",
    "psychiatric admission", "gedwongen opname", "crisisopname",
    "arbeidsongeschiktheidsuitkering", "wao-uitkering", "ziektewetuitkering",
    "verzuimmelding", "verzuimhistorie", "ziekteverlof", "ziekteverzuimdossier", "langdurig ziek",
    "long-term sick", "long-term sickness", "sickness absence", "medisch ontslag", "medical retirement",
)
# the specialists a person is referred to, and the ways a referral is written
SPECIALISTS = ("neuroloog", "cardioloog", "internist", "oncoloog", "psycholoog", "psychiater", "longarts",
               "reumatoloog", "dermatoloog", "orthopeed", "uroloog", "gynaecoloog", "kno-arts", "oogarts",
               "geriater", "revalidatiearts", "fysiotherapeut", "diëtist", "ggz", "maag-darm-leverarts",
               "neurologist", "cardiologist", "oncologist", "psychologist", "psychiatrist",
               "rheumatologist", "dermatologist", "physiotherapist", "orthopaedic surgeon",
               "gynaecologist", "mental health services", "memory clinic", "geheugenpolikliniek")
CARE_SERVICES = frozenset(("ggz", "mental health services", "memory clinic", "geheugenpolikliniek"))
REFERRALS = (tuple(f"{verb} {article}{who}"
                   for verb in ("doorverwezen naar", "verwezen naar", "verwijzing naar")
                   for article in ("de ", "een ", "") for who in SPECIALISTS)
             + tuple(f"{verb} {article}{who}" for verb in ("referred to", "referral to")
                     for article in ("the ", "a ", "") for who in SPECIALISTS))

HEALTH = MEDICINES + COMPLAINTS + CONDITIONS + CARE_PHRASES + REFERRALS

# inflected adjectives ("lid van de Rooms-Katholieke kerk", "een islamitische begrafenis") and the
# congregations a member belongs to
RELIGION = (
    "rooms-katholieke", "islamitische", "gereformeerde",
    "hervormde", "evangelische", "hindoeïstische", "boeddhistische", "orthodox-joodse", "joodse gemeente",
    "jewish community", "koptisch", "coptic", "orthodox christian", "russisch-orthodox", "greek orthodox",
    "sjiitisch", "soennitisch", "shia", "sunni", "alevitisch", "alevi", "baptist", "methodist",
    "anglican", "pentecostal", "moskeebestuur", "gemeentelid", "lid van de moskee", "lid van de parochie",
    "member of the mosque", "member of the synagogue", "geloofsgemeenschap", "faith community",
    "bekeerd tot", "vastenmaand", "vast tijdens de ramadan", "fasting for ramadan",
    "draagt een keppel", "wears a hijab", "wears a turban", "religieuze feestdag", "religious holiday",
)
# CBS origin groups and UK census ethnic groups as records write them ("Turks-Nederlands", "Black British")
_DUAL_ORIGINS = ("marokkaans", "turks", "surinaams", "antilliaans", "indonesisch", "chinees", "pools",
                 "koerdisch", "somalisch", "eritrees", "syrisch", "afghaans", "ghanees", "kaapverdiaans",
                 "arubaans", "curaçaos", "nigeriaans", "pakistaans", "indiaas", "iraans", "irakees")
ETHNICITY = (
    tuple(f"{o}-nederlands{e}" for o in _DUAL_ORIGINS for e in ("", "e"))
    + ("white british", "black british", "british asian", "asian british", "black african", "black caribbean",
       "white irish", "white other", "mixed race", "mixed ethnicity", "mixed heritage", "white and black",
       "white and asian", "gypsy or irish traveller", "irish traveller", "arab british", "biracial",
       "first-generation immigrant", "second-generation immigrant", "eerste generatie migrant",
       "tweede generatie migrant", "niet-westerse migratieachtergrond", "westerse migratieachtergrond",
       "person of colour", "people of colour")
)
POLITICAL = (
    "member of unison", "member of unite", "member of the gmb", "union representative", "union rep",
    "shop steward", "kaderlid", "vakbondsafgevaardigde", "vakbondsbestuurder", "lid van het cnv",
    "lid van de abvakabo", "lid van de cnv", "lid van fnv", "lid van cnv", "vakbondsactiviteiten",
    "union activities", "kandidaat-raadslid", "partijkader",
    "donateur van de partij", "party donor",
)
BIOMETRIC = (
    "facial geometry", "face geometry", "gezichtsgeometrie",
    "voice template", "stemprofiel", "iris template", "biometric scan", "biometrische scan",
    "vingerafdrukregistratie", "fingerprint registration", "palm vein",
)
CRIMINAL = (
    "unspent conviction", "spent conviction", "strafrechtelijk onderzoek", "criminal investigation",
    "proces verbaal", "pv opgemaakt", "aangifte gedaan tegen", "in verzekering gesteld",
    "inverzekeringstelling",
    "voorlopige hechtenis", "on remand", "in custody", "veroordeelde", "ex-gedetineerde",
    "ex-offender", "on probation", "probation officer", "reclasseringsambtenaar",
    "strafbeschikking", "transactievoorstel", "pleaded guilty",
    "found guilty", "schuldig bevonden", "vrijgesproken", "acquitted", "dbs check revealed",
    "verklaring omtrent het gedrag geweigerd", "vog is geweigerd", "vog werd geweigerd",
    "geweigerde vog",
    "sexual offence", "sex offender", "celstraf uitgezeten", "served a sentence",
    "served time", "jeugdgevangenis", "juvenile detention", "justitiële jeugdinrichting",
)

# --- round 4: more of the same closed classes -------------------------------------------------------
# pain of a body part, operations on one and the prostheses a person lives with, as GP and physiotherapy
# notes compound them (ICPC-2 chapter L and K wording: "nekpijn", "heupoperatie", "knieprothese")
_BODY_PARTS = ("rug", "nek", "knie", "schouder", "heup", "buik", "hoofd", "borst", "gewrichts", "spier",
               "zenuw", "bekken", "enkel", "pols", "voet", "elleboog")
_OPERATED = ("hart", "heup", "knie", "rug", "schouder", "maag", "darm", "oog", "staar", "borst", "long",
             "hernia", "bypass", "open-hart")
BODY = (tuple(f"{part}pijn" for part in _BODY_PARTS)
        + tuple(f"{organ}operatie" for organ in _OPERATED)
        + ("knieprothese", "heupprothese", "schouderprothese", "kunstheup", "kunstknie", "kunstklep",
           "pacemaker", "insulinepomp", "insuline pump", "insulin pump", "stoma", "cpap-apparaat",
           "frozen shoulder", "hoofdwond", "head wound", "after a stroke", "after his stroke",
           "after her stroke", "after my stroke", "since a stroke"))
# broken bones as an accident report or an incident note writes them
_BONES_NL = ("sleutelbeen", "pols", "enkel", "arm", "been", "rib", "ribben", "heup", "jukbeen", "neus",
             "kaak",
             "teen", "vinger", "voet", "bekken", "schouder")
_BONES_EN = ("collarbone", "wrist", "ankle", "rib", "ribs", "hip", "cheekbone", "nose", "jaw", "toe",
             "finger",
             "foot", "pelvis", "shoulder")
FRACTURES = (tuple(f"gebroken {bone}" for bone in _BONES_NL) + tuple(f"broken {bone}" for bone in _BONES_EN)
             + tuple(f"fractured {bone}" for bone in _BONES_EN))
# the 14 allergens food law makes every menu name (EU Regulation 1169/2011, Annex II), and the medicine
# allergies a record notes: "<allergen>allergie" compounds say what a person reacts to
_ALLERGENS_NL = ("noten", "pinda", "koemelk", "melk", "ei", "vis", "schaaldier", "soja", "sesam", "gluten",
                 "selderij", "mosterd", "lupine", "weekdier", "penicilline", "latex", "wespen", "bijen",
                 "voedsel", "huisstofmijt")
_ALLERGENS_EN = ("nut", "peanut", "milk", "egg", "fish", "shellfish", "soy", "sesame", "gluten", "celery",
                 "mustard", "lupin", "penicillin", "latex", "food", "bee sting", "wasp")
ALLERGIES = (tuple(f"{a}allergie" for a in _ALLERGENS_NL) + tuple(f"{a}-allergie" for a in _ALLERGENS_NL)
             + tuple(f"{a} allergy" for a in _ALLERGENS_EN)
             + ("lactose-intolerantie", "lactoseintolerantie", "lactose intolerance", "glutenintolerantie",
                "anafylaxie", "anafylactische shock", "anaphylaxis", "anaphylactic", "epipen"))
# conditions by their common names (ICD-10 chapters D, E, G, K, M, N) not listed before
MORE_CONDITIONS = (
    "hemofilie", "haemophilia", "hemophilia", "chronische vermoeidheid", "chronisch vermoeidheidssyndroom",
    "chronic fatigue syndrome", "me/cvs", "pcos", "polycysteus ovariumsyndroom", "polycystic ovary syndrome",
    "pancreatitis", "chronische pancreatitis", "nierschade", "chronische nierschade", "kidney damage",
    "reumatoïde artritis", "reumatoide artritis", "rheumatoid arthritis", "artritis",
    "alcoholafhankelijkheid",
    "alcoholafhankelijk", "alcohol dependence", "alcohol-dependent", "antistolling", "anticoagulants",
    "factor viii", "kunstklep", "hartklepoperatie",
    # the medical codes of a driving licence (EU Directive 2006/126/EC Annex I, codes 01-05: vision
    # correction, hearing aid, prosthesis, adapted vehicle for medical reasons) as fleet records write them
    "brilverplichting", "bril verplicht", "lenzen verplicht", "rijbewijscode 01", "code 01 brilverplichting",
)
# "<condition>patiënt": the person is named by what they have
_PATIENT_OF = ("astma", "diabetes", "kanker", "hart", "long", "copd", "angst", "parkinson", "dementie",
               "reuma",
               "nier", "dialyse", "hiv", "psychiatrisch")
PATIENT_COMPOUNDS = (tuple(f"{c}patiënt" for c in _PATIENT_OF) + tuple(f"{c}patient" for c in _PATIENT_OF)
                     + tuple(f"{c}-patiënt" for c in _PATIENT_OF))
# a person's lab values of an organ or substance, as a GP letter or a patient's mail names them
LAB_VALUES = (tuple(f"{what}waarden" for what in ("schildklier", "lever", "nier", "suiker", "bloedsuiker",
                                                   "cholesterol", "ijzer", "hb", "psa"))
              + ("schildklier", "thyroid levels", "blood sugar levels", "liver values"))
HEALTH_ROUND4 = BODY + FRACTURES + ALLERGIES + MORE_CONDITIONS + PATIENT_COMPOUNDS + LAB_VALUES

# a church member's status and steps as a member register and pastoral notes write them (the Protestant
# Church's church order: doop, belijdenis, dooplid, belijdend lid; leaving: "uit de kerk getreden"), and
# dietary and prayer needs stated because of a faith
RELIGION_ROUND4 = (
    "belijdenis doen", "belijdenis gedaan", "belijdenis afleggen", "belijdenis afgelegd", "belijdend lid",
    "dooplid", "gedoopt lid", "uit de kerk getreden", "uit de kerk gestapt", "uitgeschreven uit de kerk",
    "overgekomen uit de", "overgekomen van de", "moskeebezoek", "kerkbezoek", "jehova", "jehovah",
    "jehova's getuigen", "koosjer", "i.v.m. geloof", "ivm geloof", "vanwege geloof",
    "i.v.m. zijn geloof", "i.v.m. haar geloof", "vanwege zijn geloof", "vanwege haar geloof",
    "vanwege mijn geloof", "because of his faith", "because of her faith", "for religious reasons",
)
# same-sex couples as bookings and notes name them
SEXUAL_ROUND4 = ("homostel", "homopaar", "homo-stel", "lesbisch stel", "lesbisch paar", "gay couple",
                 "lesbian couple", "same-sex couple")
ETHNICITY_ROUND4 = (
    "surinaams-hindoestaans", "surinaams-hindoestaanse", "surinaams-javaans", "surinaams-javaanse",
    "surinaams-creools", "surinaams-creoolse", "chinees-indonesisch", "chinees-indonesische",
    *(f"{origin} background" for origin in ("moroccan", "turkish", "surinamese", "moluccan", "somali",
                                            "caribbean", "african", "asian", "pakistani", "indian",
                                            "chinese", "kurdish", "arab", "romani")),
    "of moluccan descent", "moluks", "molukse achtergrond",
)
# parties as the Kiesraad registers them (and the UK's main parties), and the ways a note says a person
# belongs to, stands for or votes for one: "lid van de SP", "raadslid voor het CDA", "PvdA-sympathisant"
PARTIES = ("vvd", "pvv", "cda", "d66", "groenlinks", "pvda", "groenlinks-pvda", "gl-pvda", "sp",
           "partij voor de dieren", "pvdd", "christenunie", "sgp", "denk", "fvd", "forum voor democratie",
           "ja21",
           "volt", "bbb", "nsc", "nieuw sociaal contract", "50plus", "bij1", "onze partij")
PARTIES_EN = ("labour party", "conservative party", "liberal democrats", "green party", "snp", "reform uk",
              "democratic party", "republican party", "young socialists", "young conservatives")
_ARTICLES = ("", "de ", "het ")
POLITICAL_ROUND4 = (
    tuple(f"{verb} {article}{party}" for party in PARTIES for article in _ARTICLES
          for verb in ("lid van", "lid geworden van", "raadslid voor", "raadslid namens", "wethouder namens",
                       "wethouder voor", "statenlid voor", "kamerlid voor", "kandidaat voor", "namens",
                       "stemt op", "stemde op", "over van", "overgestapt van", "fractie van"))
    + tuple(f"{party}-{role}" for party in PARTIES[:-1]
            for role in ("lid", "raadslid", "wethouder", "kamerlid", "statenlid", "sympathisant", "stemmer",
                         "kiezer", "kandidaat"))
    + tuple(f"stem{t} {party}" for party in PARTIES[:-1] for t in ("t", "de"))
    + tuple(f"{verb} {article}{party}" for party in PARTIES_EN for article in ("", "the ")
            for verb in ("member of", "active in", "voted for", "votes for", "councillor for",
                         "candidate for", "joined"))
    + ("vakbondsafdeling", "kandidaat-wethouder", "kandidaat-raadslid", "voormalig raadslid")
)
BIOMETRIC_ROUND4 = ("gezichtstemplate", "gezichtstemplates", "face templates", "dactyloscopische match",
                    "dactyloscopisch onderzoek", "vingerafdrukmatch", "fingerprint match")

# --- round 5 -----------------------------------------------------------------------------------------
# sports and work injuries of a body part as member, physiotherapy and sick-leave notes compound them
# ("knieblessure", "hamstring injury"), and the attachment and eating disorders of youth-care files
# (DSM-5: reactive attachment disorder; "hechtingsproblematiek" is the youth-care wording)
_INJURED = ("knie", "enkel", "rug", "schouder", "hamstring", "lies", "kuit", "pols", "nek", "elleboog",
            "heup", "voet", "achillespees", "meniscus", "sport")
_INJURED_EN = ("knee", "ankle", "back", "shoulder", "hamstring", "groin", "calf", "wrist", "neck", "elbow",
               "hip", "foot", "achilles", "sports")
HEALTH_ROUND5 = (tuple(f"{part}blessure" for part in _INJURED)
                 + tuple(f"{part} injury" for part in _INJURED_EN)
                 + ("hechtingsproblematiek", "hechtingsprobleem", "hechtingsproblemen", "hechtingsstoornis",
                    "attachment disorder"))
# the youth probation service a juvenile is placed under by a court or the Raad voor de Kinderbescherming
# (Jeugdwet art. 1.1: jeugdreclassering): a measure about a minor's offence, unlike the adult service's name
CRIMINAL_ROUND5 = ("jeugdreclassering", "onder toezicht van de jeugdreclassering", "youth offending team")
# a people within a country of origin as CBS and case files write it ("Turks-Koerdisch", "Marokkaans-
# Berbers"): the second part is the ethnic group
ETHNICITY_ROUND5 = (tuple(f"{o}-koerdisch{e}" for o in ("turks", "syrisch", "iraaks", "irakees", "iraans")
                          for e in ("", "e"))
                    + ("marokkaans-berbers", "marokkaans-berberse", "amazigh"))
# Belgium's parties as the FPS Interior's election results list them, and its three trade unions (ACV/CSC,
# ABVV/FGTB, ACLVB/CGSLB): a member, "militant" (union activist), candidate or board member of one
# ("MR" and "PS" are left out: "namens mr." is a lawyer, "ps" a postscript)
PARTIES_BE = ("cd&v", "n-va", "open vld", "vooruit", "groen", "vlaams belang", "ecolo", "les engagés")
UNIONS_BE = ("acv", "abvv", "aclvb", "csc", "fgtb", "cgslb")
POLITICAL_ROUND5 = (
    tuple(f"{verb} {article}{party}" for party in PARTIES_BE + UNIONS_BE for article in _ARTICLES
          for verb in ("lid van", "kandidaat voor", "op de lijst van", "namens", "stemt op", "stemde op",
                       "bestuurslid van", "militant van", "afgevaardigde van"))
    + tuple(f"{org}-{role}" for org in PARTIES_BE[:6] + UNIONS_BE
            for role in ("lid", "militant", "afgevaardigde", "delegee", "mandataris", "kandidaat",
                         "gemeenteraadslid"))
    + tuple(f"bestuurslid jongerenafdeling {party}" for party in PARTIES_BE[:6] + PARTIES[:-1])
    + ("vakbondsmilitant", "syndicaal afgevaardigde", "vakbondsdelegee")
)
# a same-sex spouse or partner named with the possessive of the other's own gender ("zijn man", "haar
# vrouw", "his husband", "her wife"): the sentence states the person's orientation
# ("zijn echtgenoot" is left out: Dutch legal texts use it for any spouse; "her girlfriend" for a friend)
SEXUAL_ROUND5 = ("zijn man", "haar vrouw", "haar echtgenote", "his husband", "her wife")
# serving a sentence as notes write it ("zit een straf uit voor", "zat vast voor diefstal")
CRIMINAL_ROUND5_SENTENCE = ("zit een straf uit", "zat een straf uit", "een straf uitzitten",
                            "straf uitgezeten", "zit vast voor", "zat vast voor", "serving a sentence",
                            "is serving time")

# --- round 6 -----------------------------------------------------------------------------------------
# a party office or campaign role held for a party, the way English notes and Dutch registers write it
# ("councillor for GroenLinks-PvdA", "spokesperson for the Socialist Party", "gemeenteraadslid (SP)",
# "bestuurslid van de lokale VVD-afdeling", "Tweede Kamerfractie van Volt"): each role is one a person
# takes on for a party, so the phrase states that person's political affiliation whatever the party
PARTIES_EN_MORE = ("socialist party", "labour", "christian democrats", "social democrats", "liberal party",
                   "green party", "greens", "labour party", "conservatives")
_ROLES_FOR_EN = ("councillor for", "local councillor for", "spokesperson for", "spokeswoman for",
                 "spokesman for", "campaigned for", "campaigns for", "campaigning for", "canvassed for",
                 "canvasses for", "volunteers for", "volunteered for", "activist for", "stood for",
                 "is standing for", "member of", "voted for", "votes for", "candidate for", "mp for")
_OFFICES_NL = ("raadslid", "gemeenteraadslid", "wethouder", "kamerlid", "statenlid", "kandidaat-raadslid",
               "fractievoorzitter", "burgerraadslid", "commissielid")
POLITICAL_ROUND6 = (
    tuple(f"{role} {article}{party}" for party in PARTIES + PARTIES_EN + PARTIES_EN_MORE + PARTIES_BE
          for article in ("", "the ") for role in _ROLES_FOR_EN
          if not (party == "labour" and role in ("member of", "voted for", "votes for")))
    + tuple(f"{office} ({party})" for party in PARTIES[:-1] + PARTIES_BE for office in _OFFICES_NL)
    + tuple(f"{where}{party}-afdeling" for party in PARTIES[:-1]
            for where in ("lokale ", "van de ", "lid van de ", "bestuur van de "))
    + tuple(f"{body} van {article}{party}" for party in PARTIES + PARTIES_BE for article in _ARTICLES
            for body in ("kamerfractie", "tweede kamerfractie", "gemeenteraadsfractie", "statenfractie",
                         "raadsfractie"))
)
# a person named by an origin group within a nationality ("Marokkaanse Nederlander", "Turks-Nederlandse",
# "British-Nigerian", "a Romani woman"): CBS's origin groups and the UK census's "British + origin" and
# "Roma/Romani" wording, in the forms a note uses for one person
_ORIGIN_STEMS = ("marokkaans", "turks", "surinaams", "antilliaans", "moluks", "kaapverdisch", "somalisch",
                 "eritrees", "syrisch", "afghaans", "ghanees", "koerdisch", "chinees", "indonesisch",
                 "nigeriaans", "pakistaans", "arubaans", "curaçaos", "hindoestaans")
_ORIGIN_ADJECTIVES = tuple(f"{stem}e" if not stem.endswith("ees") else f"{stem[:-3]}ese"
                           for stem in _ORIGIN_STEMS)  # marokkaanse, eritrese, chinese
ETHNICITY_ROUND6 = (
    tuple(f"{adjective} {noun}" for adjective in _ORIGIN_ADJECTIVES
          for noun in ("nederlander", "nederlanders", "belg"))
    + tuple(f"{stem}-{noun}" for stem in _ORIGIN_STEMS
            for noun in ("nederlander", "nederlandse", "nederlands", "belg", "belgische"))
    + tuple(f"british{sep}{origin}" for origin in ("nigerian", "pakistani", "indian", "bangladeshi",
                                                    "caribbean", "chinese", "somali", "ghanaian",
                                                    "jamaican", "african", "asian", "arab", "turkish")
            for sep in ("-", " "))
    + tuple(f"{group} {who}" for group in ("romani", "roma", "sinti")
            for who in ("woman", "man", "girl", "boy", "family", "vrouw", "man", "meisje", "jongen",
                        "familie", "gezin"))
    + ("black british", "mixed-race", "van gemengde afkomst", "of mixed heritage")
)
# a same-sex couple said of one of its members or of a child's parents ("zijn twee moeders", "her
# relationship with a woman"): the sentence states the orientation of the person or parents named
SEXUAL_ROUND6 = ("twee moeders", "twee vaders", "two mums", "two moms", "two mothers", "two dads",
                 "two fathers", "haar relatie met een vrouw", "haar relatie met haar vriendin",
                 "zijn relatie met een man", "zijn relatie met zijn vriend", "her relationship with a woman",
                 "his relationship with a man", "her girlfriend and she", "his boyfriend",
                 "duomoeders", "duo-moeders", "duovaders", "duo-vaders", "bi-vrouw", "bi-man")
# a driving ban imposed by a court (Dutch "ontzegging van de rijbevoegdheid", Belgian "verval van het
# recht tot sturen" by the politierechtbank): a criminal penalty in both countries' traffic law
CRIMINAL_ROUND6 = ("ontzegging van de rijbevoegdheid", "ontzegging rijbevoegdheid", "rijontzegging",
                   "verval van het recht tot sturen", "verval recht tot sturen", "politierechtbank",
                   "driving ban", "disqualified from driving", "banned from driving", "rijverbod opgelegd")
# the rites a faith prescribes at a funeral, a wedding or a birth, as a funeral order, a register or a
# note states them for one person ("begrafenis volgens joodse traditie", "katholieke uitvaartmis",
# "protestantse rouwdienst"); the rite's faith is the person's
_FAITHS_NL = ("joodse", "katholieke", "rooms-katholieke", "protestantse", "islamitische", "hindoeïstische",
              "boeddhistische", "orthodoxe", "christelijke", "evangelische", "gereformeerde")
_RITES_NL = ("traditie", "rouwdienst", "uitvaart", "uitvaartmis", "uitvaartdienst", "begrafenis", "crematie",
             "rituelen", "riten", "gebruiken", "huwelijksceremonie", "doop", "gebedsdienst")
RELIGION_ROUND6 = (
    tuple(f"{faith} {rite}" for faith in _FAITHS_NL for rite in _RITES_NL)
    + ("uitvaartmis", "requiemmis", "tahara", "janazah", "janaza", "orthodox-christelijk",
       "orthodox-christelijke", "jewish funeral", "catholic funeral", "funeral mass", "islamic funeral",
       "hindu cremation")
)

# --- round 7 -----------------------------------------------------------------------------------------
# home and district nursing as its plans, routes and reports name the care a client receives (the Dutch
# nursing procedures of V&VN's "voorbehouden en risicovolle handelingen" and common wound, stoma and
# catheter care): each names what a person is treated for or how their body is cared for
NURSING = (
    "wondzorg", "wondverzorging", "decubitus", "decubituswond", "doorligwond", "stomazorg", "colostoma",
    "ileostoma", "urostoma", "stomazakje", "blaaskatheter", "katheter spoelen", "katheterzorg",
    "suprapubische katheter", "steunkousen", "compressiekousen", "compressietherapie", "insuline spuiten",
    "insuline toedienen", "insuline glargine", "bloedsuiker meten", "glucose meten", "morfinepomp",
    "pijnpomp", "picc-lijn", "port-a-cath", "sondevoeding", "maagsonde", "zuurstoftherapie",
    "ulcus cruris", "open been", "palliatieve zorg", "palliatieve fase", "terminaal ziek", "terminale fase",
    "ogen druppelen", "oogdruppels toedienen", "tillift", "tilliftgebruik", "valincident", "is gevallen",
    "kortademig", "kortademigheid", "saturatie", "mogelijk infectie", "wondinfectie", "blaasontsteking",
    "urineweginfectie", "bladder infection", "urinary tract infection", "wound care", "catheter care",
    "stoma care", "pressure ulcer", "pressure sore", "palliative care", "terminally ill",
)
# cancers and conditions by organ as Dutch specialists compound them ("alvleesklierkanker",
# "mammacarcinoom"), and gynaecological, fertility and cardiac diagnoses (ICD-10 chapters N and Q)
_ORGANS_NL = ("alvleesklier", "long", "borst", "darm", "prostaat", "blaas", "nier", "lever", "maag",
              "slokdarm", "baarmoederhals", "eierstok", "hersen", "bot", "keel", "huid", "schildklier")
_CARCINOMA = ("mamma", "long", "colon", "rectum", "prostaat", "pancreas", "blaas", "nier", "cervix",
              "ovarium")
HEALTH_ROUND7 = (
    tuple(f"{organ}kanker" for organ in _ORGANS_NL)
    + tuple(f"{site}carcinoom" for site in _CARCINOMA) + ("carcinoom", "carcinoma")
    + ("endometriose", "endometriosis", "endometrioom", "hydrosalpinx", "salpingectomie",
       "azoospermie", "subfertiliteit", "verminderde ovariële reserve", "herhaalde miskramen",
       "hartafwijking", "hartfalen", "heart defect", "epileptische aanval", "epileptic seizure",
       "multiple sclerose", "multiple sclerosis", "hormoonbehandeling", "hormone treatment",
       "hormone therapy", "genderpoli", "gender clinic", "positief op cocaïne", "positief getest op",
       "tested positive for", "urinecontrole positief")
    # French and German, as cross-border and refugee files write them
    + ("diabète", "dépression", "dépression sévère", "antidépresseurs", "enceinte", "hospitalisé",
       "hospitalisée", "souffre d'une", "souffre de", "herzinfarkt", "schlaganfall", "bandscheibenvorfall",
       "alkoholabhängig", "alkoholabhaengig", "entgiftung", "hörbehinderung", "cochlea-implantat",
       "schwerbehindert", "schwerbehinderung", "arbeitsunfähig", "krankgeschrieben", "reha nach")
)
# religious practice said of a person ("bidt vijf keer per dag", "practising Catholic", "converted to
# Judaism", French "témoin de Jéhovah", "porte le voile"): the practice states the faith
RELIGION_ROUND7 = (
    "bidt vijf keer per dag", "bidt vijfmaal per dag", "prays five times a day", "practising catholic",
    "practising catholics", "practicing catholic", "practising muslim", "practicing muslim",
    "practising jew", "observant jew", "converted to islam", "converted to judaism",
    "converted to orthodox judaism", "converted to christianity", "orthodox judaism", "katholiek geloof",
    "islamitisch geloof", "joods geloof", "vanwege het geloof", "témoin de jéhovah", "témoins de jéhovah",
    "porte le voile", "musulman pratiquant", "musulmane pratiquante", "catholique pratiquant",
    "catholique pratiquante", "ex-moslim", "ex-muslim", "afvallige", "apostate",
)
# political activity beyond party membership: a person active in a movement, the opposition or an
# extremist group, or a party's staff ("actief bij Extinction Rebellion", "fractiemedewerker van de VVD")
POLITICAL_ROUND7 = (
    tuple(f"{role} {article}{party}" for party in PARTIES + PARTIES_BE for article in _ARTICLES
          for role in ("fractiemedewerker van", "fractiemedewerker voor", "raadslid", "raadslid van",
                       "campagnemedewerker van", "campagneleider van"))
    + ("actief bij extinction rebellion", "lid van extinction rebellion", "extinction rebellion-activist",
       "klimaatactivist", "climate activist", "actief in de oppositie", "active in the opposition",
       "oppositieactivist", "opposition activist", "parti d'opposition", "militant d'un parti",
       "extreemrechts", "extreemrechtse", "extreemlinks", "extreemlinkse", "far-right", "far-left",
       "pirate party", "piratenpartij", "jonge socialisten", "jovd", "cda-jongeren", "pinkpolitiek",
       "vervolgd na verkiezingen", "political refugee", "politiek vluchteling")
)
# Roma and Hazara (peoples, not nationalities: the Council of Europe and UNHCR name them so), and origin
# written with "descent" for one person ("of Cape Verdean descent")
ETHNICITY_ROUND7 = (
    "roma-familie", "roma-achtergrond", "roma family", "romafamilie", "poolse roma", "roemeense roma",
    "hazara", "afghaanse hazara", "oeigoer", "uyghur", "rohingya", "jezidi", "yazidi",
    "of cape verdean descent", "cape verdean", "kaapverdiaans", "indonesisch-moluks", "indonesisch-molukse",
)

# trade unions by name (the Dutch FNV, CNV and VCP federations and their best-known unions, Germany's DGB
# unions, the UK's largest), and the ways a note says a person belongs to or leads one ("lid CNV",
# "FNV-lidmaatschap", "Mitglied der IG Metall", "vakbondsleider"): membership is GDPR Art. 9 data
UNIONS = ("fnv", "cnv", "vcp", "de unie", "nu'91", "fnv metaal", "fnv zorg & welzijn",
          "algemene onderwijsbond", "aob", "nederlandse politiebond", "acp", "cmhf", "abvakabo", "ig metall",
          "ver.di", "verdi", "ig bce", "gew", "dgb", "unison", "unite the union", "gmb", "rmt", "neu", "kesk",
          "disk", "acv", "abvv", "aclvb")
_AMBIGUOUS_UNIONS = ("acp", "gew", "neu", "disk", "verdi", "aob")  # words or names beside being a union
_MEMBER_OF = ("lid van de ", "lid van het ", "lid van ", "member of ", "mitglied der ", "mitglied bei ",
              "mitglied von ", "membre de la ")
TRADE_UNION_ROUND7 = (
    tuple(f"{prefix}{union}" for union in UNIONS for prefix in _MEMBER_OF
          if union not in _AMBIGUOUS_UNIONS or prefix.startswith(("lid van", "mitglied")))
    + tuple(f"lid {union}" for union in ("fnv", "cnv", "vcp", "fnv metaal", "de unie",
                                          "nederlandse politiebond", "algemene onderwijsbond", "ig metall"))
    + tuple(f"{union}-{word}" for union in ("fnv", "cnv", "vcp", "acv", "abvv")
            for word in ("lidmaatschap", "lid", "leden", "kaderlid", "bestuurder"))
    + ("vakbondsleider", "vakbondsvrienden", "vakbondskader", "vakbondsman", "vakbondsvrouw",
       "vakbondsbestuurder", "union leader", "union official", "gewerkschafter", "gewerkschafterin",
       "syndicaliste", "syndicaliste")
)
# a party office held before ("oud-wethouder voor de SP") or in a council ("gemeenteraadslid voor DENK"),
# a German or farmers' party or movement, and activism for a cause on the street
POLITICAL_ROUND7B = (
    tuple(f"{office} {prep}{article}{party}" for party in PARTIES + PARTIES_BE + ("afd", "fdf", "cdu", "spd")
          for office in ("oud-wethouder", "oud-raadslid", "voormalig wethouder", "gemeenteraadslid",
                         "oud-kamerlid", "ex-wethouder")
          for prep in ("voor ", "namens ", "van ") for article in _ARTICLES)
    + tuple(f"lid van {article}{party}" for party in ("afd", "cdu", "spd", "fdp", "die linke", "fdf",
                                                       "farmers defence force", "die grünen")
            for article in ("de ", "het ", ""))
    + ("boerenprotesten", "organiseert boerenprotesten", "sprak op demonstratie", "sprak op een demonstratie",
       "demonstreerde tegen", "oppositiepartij", "lid van de oppositiepartij", "verboden partij",
       "oppositie-journalist", "palestina-comité", "activist voor", "activiste voor")
)

# --- round 8 (after blind_7's first score) -------------------------------------------------------------
# obstetric and neonatal conditions as maternity-care (kraamzorg) and midwifery records name them (the
# KNOV and Perined terms): each is a fact of the mother's or the baby's health
MATERNITY = ("sectio", "keizersnede", "caesarean section", "stuitligging", "couveuse", "prematuur",
             "premature birth", "vroeggeboorte", "hellp-syndroom", "hellp syndrome", "down-syndroom",
             "postnatale depressie", "postpartum depressie", "postpartum depression", "bekkeninstabiliteit",
             "hyperemesis", "doodgeboren", "stilgeboren", "stillborn")
HEALTH_ROUND8 = MATERNITY + (
    "alcoholprobleem", "alcoholproblemen", "drinking problem", "overleed aan corona", "overleden aan corona",
    "died of covid", "covid-19", "erkrankt", "ist erkrankt", "diabétique", "est diabétique",
    "gebruikt methadon",
)
# an origin group said of a family member or a community ("Eritrese moeder", "Molukse familie",
# "Somalische gemeenschap"): the group is the origin of the people named
ETHNICITY_ROUND8 = tuple(f"{adjective} {who}" for adjective in _ORIGIN_ADJECTIVES
                         for who in ("moeder", "vader", "ouders", "familie", "gezin", "gemeenschap", "vrouw",
                                     "man", "jongen", "meisje", "vluchteling"))
# sexual orientation as an adjective before the person ("homoseksuele vader", "lesbische moeder"), and
# said openly ("is openly gay")
SEXUAL_ROUND8 = (tuple(f"{adjective} {who}" for adjective in ("homoseksuele", "lesbische", "biseksuele")
                       for who in ("man", "vrouw", "vader", "moeder", "zoon", "dochter", "jongen", "meisje",
                                   "partner", "datingsite", "relatie"))
                 + ("openly gay", "openly lesbian", "openly bisexual"))
RELIGION_ROUND8 = ("reformatorisch", "reformatorische", "abendmahl", "evangelisch-lutherisch",
                   "orthodox-gereformeerd")
CRIMINAL_ROUND8 = ("zit vast in", "zat vast in", "hennepteelt", "drugshandel", "politie-inval",
                   "betrokken bij hennepteelt", "witwaszaak", "witwassen")
BIOMETRIC_ROUND8 = ("gezichtsherkenningssoftware", "gezichtsherkenning", "facial recognition software")
