"""GDPR Art. 9 special categories and Art. 10 criminal data, from Dutch, English and German vocabulary.

A term alone ("the health check", "diabetes research", an `ethnicity` field of an API) is not
personal data; it becomes one when it is said about a particular person. So a term counts only when
(1) it stands in prose, not as a code identifier, a schema field or a documented parameter, and
(2) a person is being described within PERSON_REACH characters: a given name or a title before a
name ("mevrouw", "de heer", "Mr."), a singular role word ("patiënt", "medewerker", "applicant"),
a third-person pronoun, a first-person statement ("ik ben", "I have", "mijn") or a personal record
label ("geboortedatum", "BSN"). Generic and plural wording ("patients with diabetes", "the person's
ethnicity", "your religion") describes nobody and is left alone, as rule-based redaction tools do
(Presidio's context words, the UK ICO's "relates to an identified or identifiable individual").

Why this generalises: the two conditions are about how personal statements are written in any
text (who the sentence is about, and whether the word is prose), not about the places the rules
were tried on. The explanation lists the person words found.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from services.detection.detector import Detector, compile_words

PERSON_REACH = 80  # characters each side of a term searched for a person being described

# singular role words and titles: substrings safe enough to list in an explanation
ROLE_WORDS = (
    "patiënt", "patiente", "patiënte", "cliënt", "cliënte", "medewerker", "medewerkster", "werknemer",
    "employee", "collega", "colleague", "leerling", "sollicitant", "applicant", "kandidaat", "bewoner",
    "deelnemer", "verzekerde", "zorgvrager", "betrokkene", "gedetineerde", "verdachte", "mevrouw",
    "mevr.", "de heer", "dhr.", "meneer", "mw.", "herr ", "frau ", "monsieur", "madame", "mme ",
    "ik ben", "ik heb", "ik had", "ik word", "i am ", "i have ", "i had ", "i'm ", "i was ", "ich bin",
    "ich habe", "geboortedatum", "geboren op", "date of birth", "bsn",
)
# word-bounded cues: roles, titles, pronouns and first-person words (case-insensitive)
_CUE_WORDS = (
    "patiënt", "patient", "patiente", "patiënte", "cliënt", "cliënte", "medewerker",
    "medewerkster", "werknemer", "employee", "collega", "colleague", "leerling", "pupil", "student",
    "sollicitant", "applicant", "kandidaat", "bewoner", "deelnemer", "verzekerde", "zorgvrager",
    "betrokkene", "gedetineerde", "verdachte", "klant", "mevrouw", "meneer", "de heer", "monsieur",
    "madame", "hij", "zij", "ze", "hem", "haar", "he", "she", "him", "his", "her", "hers", "sie", "ihm",
    "ihn", "elle", "ik", "mijn", "mij", "my", "me", "ich",
    "mein", "meine", "meiner", "mir", "j'ai", "je suis", "geboortedatum", "geboren", "born", "bsn",
    "dob", "date of birth",
)
_CUE_ALTERNATION = "|".join(re.escape(w) for w in sorted(_CUE_WORDS, key=len, reverse=True))
_CUE = re.compile(rf"(?<![\w'])(?:{_CUE_ALTERNATION})(?![\w'])", re.IGNORECASE)
_TITLE = r"(?:de heer|mevrouw|mevr\.?|mw\.?|dhr\.?|meneer|Mr\.?|Mrs\.?|Ms\.?|Herr|Frau|Mme\.?|Dr\.?)"
# "I" is a pronoun only as a capital letter on its own
_FIRST_PERSON_I = re.compile(r"(?<![\w'])I(?:'m|'ve| am| have| had| was| suffer| take)\b")
# given names people in Dutch, Belgian, German, French and English records carry (a capitalised word
# from this list, word-bounded and case-sensitive): a name is the plainest sign of a person described
GIVEN_NAMES = frozenset((
    "Aaron", "Abdel", "Abdelkader", "Abdullah", "Adam", "Ahmed", "Ahmet", "Aisha", "Alex", "Ali", "Amber",
    "Amina", "Amira", "Anna", "Anne", "Annemarie", "Anouk", "Anton", "Ayoub", "Bart", "Bas", "Bayu",
    "Bilal", "Bram", "Bushra", "Carla", "Caroline", "Charlotte", "Chris", "Claire", "Daan", "Daniel",
    "David", "Dennis", "Dewi", "Dirk", "Elif", "Elisabeth", "Ella", "Emma", "Emre", "Eric", "Erik", "Esra",
    "Eva", "Evi", "Fatima", "Fatma", "Femke", "Finn", "Fleur", "Frank", "Gerrit", "Hamza", "Hans", "Hanna",
    "Hannah", "Henk", "Ibrahim", "Ilse", "Ines", "Ingrid", "Isa", "Ivo", "Jaap", "Jacob", "James", "Jan",
    "Janneke", "Jasper", "Jeroen", "Jesse", "Johan", "John", "Joost", "Jordy", "Joris", "Julia", "Julie",
    "Kees", "Kevin", "Khadija", "Klaas", "Koen", "Laura", "Lars", "Lea", "Lieke", "Lisa", "Lotte", "Luc",
    "Lucas", "Luuk", "Maarten", "Marco", "Marie", "Marieke", "Martijn", "Mary", "Meryem", "Mila", "Mohamed",
    "Mohammed", "Murat", "Naima", "Nadia", "Nina", "Noah", "Noor", "Nora", "Olivia", "Omar", "Paul",
    "Peter", "Petra", "Pieter", "Priya", "Rachid", "Ravi", "Rik", "Rob", "Robin", "Rosa", "Ruben", "Sam",
    "Sander", "Sanne", "Sara", "Sarah", "Sem", "Sevda", "Sophie", "Stefan", "Sven", "Thijs", "Thomas",
    "Tim", "Tom", "Tomas", "Vera", "Wendy", "Willem", "Wim", "Yasmin", "Yusuf", "Zeynep", "Zoë",
))
# "his or her", "hij/zij": forms and documentation addressing anyone, not a person described
_GENERIC_PAIR = re.compile(r"(?i)(?<![\w])(?:he|him|his|hij|hem|zijn|er)\s*(?:or|of|oder|/)\s*(?:she|her|hers"
                           r"|zij|ze|haar|sie|ihr)(?![\w])|\bs/he\b")
_NAME = re.compile(r"(?<![\w])[A-Z][a-zà-ÿë]+(?![\w])")
_TITLED_NAME = re.compile(rf"(?<![\w]){_TITLE} [A-Z]")

# a term standing as a code identifier, a schema field or a documented parameter is not prose:
# attached to identifier punctuation, a JSON/YAML key, an annotated or assigned name, a quoted enum
_IDENTIFIER_BEFORE = re.compile(r"[._$@/#\\]$|[\w]-$")
_IDENTIFIER_AFTER = re.compile(r"^(?:[_(\[=]|[\"']?\s*:\s*(?:[\"'\[{]|\w+[\[,)\]]|$|(?:str|int|bool|float"
                               r"|string|number|boolean|array|object|Optional|List|NotRequired|Literal)\b))")
_QUOTED = re.compile(r"^[\"'`]")
# lines that document an API or a schema rather than describe someone
_API_LINE = re.compile(r":param\b|@param\b|\bparam\s|\bArgs:|\bReturns?:|\"description\"\s*:|\"type\"\s*:"
                       r"|<xs:|<xsl:|\bdef \w+\(|\bclass \w+|\bfunction\b|=>|\bconst \w+\s*=|\benum\b"
                       r"|NotRequired\[|Optional\[|\bself\.", re.IGNORECASE)

VOCABULARY: dict[str, tuple[str, ...]] = {
    "special.health": (
        "diabetes", "diabetes type 1", "diabetes type 2", "suikerziekte", "kanker", "cancer", "borstkanker",
        "breast cancer", "longkanker", "lung cancer", "leukemie", "leukemia", "tumor", "tumour", "hiv",
        "hiv-positief", "hiv positive", "aids", "depressie", "depressief", "depression", "depressed",
        "angststoornis", "anxiety disorder", "paniekstoornis", "panic disorder", "ptss", "ptsd",
        "zwanger", "pregnant", "zwangerschap", "pregnancy", "zwangerschapsverlof", "maternity leave",
        "miskraam", "miscarriage", "burn-out", "burnout", "overspannen", "epilepsie", "epilepsy", "astma",
        "asthma", "copd", "adhd", "autisme", "autism", "chemotherapie", "chemotherapy", "chemokuur",
        "bestraling", "radiotherapy", "psychose", "psychosis", "schizofrenie", "schizophrenia",
        "bipolair", "bipolar", "bipolaire stoornis", "bipolar disorder", "eetstoornis", "eating disorder",
        "anorexia", "boulimia", "ziekgemeld", "ziek gemeld", "ziekmelding", "sick leave", "sick note",
        "ziekteverzuim", "arbeidsongeschikt", "arbeidsongeschiktheid", "bedrijfsarts", "re-integratie",
        "medisch dossier", "medical record", "medical history", "medische voorgeschiedenis",
        "alzheimer", "dementie", "dementia", "parkinson", "hepatitis", "tuberculose", "tuberculosis",
        "hartaanval", "heart attack", "hartinfarct", "herseninfarct", "beroerte", "hartfalen",
        "heart failure", "hoge bloeddruk", "high blood pressure", "hypertensie", "hypertension",
        "insuline", "insulin", "antidepressiva", "antidepressants", "methadon", "methadone",
        "verslaving", "verslaafd", "addiction", "addicted", "alcoholisme", "alcoholism",
        "multiple sclerose", "multiple sclerosis", "reuma", "rheumatism", "artrose", "arthritis",
        "diagnose", "diagnosis", "dialyse", "dialysis", "allergie",
        "allergy", "allergisch", "allergic", "handicap", "gehandicapt", "disability",
        "rolstoel", "wheelchair", "doof", "deaf", "slechtziend", "visually impaired", "suïcidaal",
        "suicidal", "zelfmoordpoging", "suicide attempt", "ivf", "abortus", "abortion", "covid",
        "positief getest", "tested positive", "geopereerd", "opgenomen in het ziekenhuis",
        "hospitalised", "hospitalized", "krankheit", "erkrankung", "schwanger", "depressionen", "krebs",
        "maladie", "enceinte",
    ),
    "special.religion": (
        "moslim", "moslima", "muslim", "islamitisch", "islamic", "islam", "christen", "christian",
        "christelijk", "katholiek", "catholic", "rooms-katholiek", "roman catholic", "protestant",
        "protestants", "hervormd", "gereformeerd", "evangelisch", "evangelical", "joods", "jewish", "jood",
        "hindoe", "hindu", "hindoeïstisch", "boeddhist", "buddhist", "boeddhistisch", "buddhism", "sikh",
        "atheïst", "atheist", "agnost", "agnostic", "jehova's getuige", "jehovah's witness",
        "religie", "religion", "geloofsovertuiging", "religious belief", "levensbeschouwing",
        "gelovig", "moskee", "mosque", "synagoge", "synagogue", "kerkganger", "churchgoer",
        "viert ramadan", "ramadan", "muslimisch", "katholisch", "jüdisch",
        "musulman", "musulmane", "juif", "juive",
    ),
    "special.ethnicity": (
        "etniciteit", "ethnicity", "etnische afkomst", "ethnic origin", "ethnic background",
        "etnische achtergrond", "marokkaanse afkomst", "turkse afkomst", "surinaamse afkomst",
        "antilliaanse afkomst", "molukse afkomst", "indonesische afkomst", "afrikaanse afkomst",
        "of african descent", "of moroccan descent", "of turkish descent", "migratieachtergrond",
        "migration background", "migrantenachtergrond", "racial origin", "racial background",
        "ras en afkomst", "allochtoon", "allochtone", "afkomst", "huidskleur", "skin colour", "skin color",
        "sinti", "ethnic minority", "etnische minderheid", "herkunft", "migrationshintergrund",
        "origine ethnique",
    ),
    "special.political": (
        "politieke voorkeur", "political opinion", "political affiliation", "political views",
        "politieke overtuiging", "political belief", "politieke partij", "political party", "partijlid",
        "party member", "partijlidmaatschap", "party membership", "stemt op", "stemde op", "votes for",
        "voted for", "vakbond", "trade union", "vakbondslid", "union member", "lid van de fnv",
        "lid van het cnv", "lid van de vvd", "lid van de pvv", "lid van d66", "lid van het cda",
        "lid van groenlinks", "lid van de pvda", "lid van de sp", "lid van de bbb", "lid van de christenunie",
        "lid van de sgp", "lid van de partij voor de dieren", "lid van volt", "lid van forum voor democratie",
        "vvd-lid", "pvv-lid", "d66-lid", "cda-lid", "pvda-lid", "sp-lid", "groenlinks-lid", "bbb-lid",
        "parteimitglied", "gewerkschaft", "gewerkschaftsmitglied", "syndicat", "syndiqué",
    ),
    "special.sexual_orientation": (
        "homoseksueel", "homosexual", "homoseksualiteit", "homosexuality", "lesbisch", "lesbian",
        "lesbienne", "biseksueel", "bisexual", "homo", "gay", "seksuele geaardheid", "sexual orientation",
        "seksuele voorkeur", "sexual preference", "heteroseksueel", "heterosexual", "queer", "aseksueel",
        "asexual", "pansexual", "panseksueel", "seksleven", "sex life", "homosexuell", "schwul",
        "sexuelle orientierung",
    ),
    "special.biometric": (
        "vingerafdruk", "fingerprint scan", "fingerprints", "vingerafdrukken", "gezichtsherkenning",
        "facial recognition", "face template", "gezichtsscan", "face scan", "irisscan", "iris scan",
        "biometrische gegevens", "biometric data", "biometric template", "stemafdruk", "voiceprint",
        "voice print", "retinascan", "retina scan", "handpalmscan", "palm scan", "gezichtsprofiel",
        "faceprint", "fingerabdruck", "fingerabdrücke", "gesichtserkennung", "empreinte digitale",
        "empreintes digitales",
    ),
    "special.criminal": (
        "strafblad", "criminal record", "veroordeeld", "convicted", "conviction", "veroordeling",
        "strafrechtelijk verleden", "strafrechtelijke veroordeling", "gearresteerd",
        "arrested", "gedetineerd", "detentie", "detained", "taakstraf", "werkstraf", "community service",
        "justitiële documentatie", "delict", "misdrijf", "criminal offence", "criminal offense",
        "gevangenisstraf", "prison sentence", "gevangenis", "prison", "jail", "voorwaardelijke straf",
        "suspended sentence", "reclassering", "parole", "enkelband", "vog geweigerd",
        "verklaring omtrent het gedrag geweigerd", "proces-verbaal", "vorstrafe", "vorbestraft",
        "verurteilt", "casier judiciaire", "condamné",
    ),
}


# words that announce a category rather than name a condition, belief or origin: where a specific
# term of the same category follows in the same statement, that one is the finding (one per statement)
ANNOUNCING: dict[str, tuple[str, ...]] = {
    "special.health": ("diagnose", "diagnosis", "medisch dossier", "medical record", "medical history",
                       "medische voorgeschiedenis", "ziekgemeld", "ziek gemeld", "ziekmelding", "sick leave"),
    "special.religion": ("religie", "religion", "geloofsovertuiging", "religious belief",
                         "levensbeschouwing"),
    "special.ethnicity": ("etniciteit", "ethnicity", "afkomst", "etnische afkomst", "ethnic origin",
                          "ethnic background", "etnische achtergrond", "herkunft"),
    "special.political": ("politieke voorkeur", "political opinion", "political affiliation",
                          "political views", "politieke overtuiging", "political belief"),
    "special.sexual_orientation": ("seksuele geaardheid", "sexual orientation", "seksuele voorkeur",
                                   "sexual preference", "sexuelle orientierung"),
    "special.biometric": ("biometrische gegevens", "biometric data"),
    "special.criminal": ("strafrechtelijk verleden",),
}
STATEMENT_REACH = 50  # characters after an announcing word in which a specific term takes its place


def _place_check(kind: str) -> Callable[[str, int, int], bool]:
    """The fits_place check of a category: in prose, about a person, the specific term of a statement."""
    announcing = frozenset(ANNOUNCING.get(kind, ()))
    specific = compile_words(tuple(t for t in VOCABULARY[kind] if t not in announcing))

    def fits(text: str, start: int, end: int) -> bool:
        if text[start:end].lower() in announcing:
            line_end = text.find("\n", end)
            stop = min(end + STATEMENT_REACH, line_end if line_end >= 0 else len(text))
            if specific.search(text, end, stop):
                return False
        return describes_a_person(text, start, end)
    return fits


def describes_a_person(text: str, start: int, end: int) -> bool:
    """The term stands in prose and a person is described near it (see the module docstring)."""
    if _is_identifier(text, start, end):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if _API_LINE.search(text, line_start, line_end if line_end >= 0 else len(text)):
        return False
    near = _GENERIC_PAIR.sub(" ", text[max(0, start - PERSON_REACH):end + PERSON_REACH])
    return bool(_CUE.search(near) or _FIRST_PERSON_I.search(near) or _TITLED_NAME.search(near)
                or any(m.group(0) in GIVEN_NAMES for m in _NAME.finditer(near)))


def _is_identifier(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 2):start], text[end:end + 40]
    if _IDENTIFIER_BEFORE.search(before) or _IDENTIFIER_AFTER.match(after):
        return True
    # a quoted term alone ("ethnicity", 'diabetes') is an enum value or a key, not a statement
    return bool(before[-1:] and _QUOTED.match(before[-1:]) and _QUOTED.match(after[:1]))


def _detector(kind: str, terms: tuple[str, ...]) -> Detector:
    return Detector(
        kind, compile_words(terms), keywords=tuple({t.split()[0][:6] for t in terms}), context=ROLE_WORDS,
        check="special-category term in prose, said about a person (name, title, role, pronoun or "
              "first person nearby)",
        confidence=0.8, context_confidence=0.8, window=PERSON_REACH, name=kind.replace(".", "_"),
        fits_place=_place_check(kind),
    )


DETECTORS = tuple(_detector(kind, terms) for kind, terms in VOCABULARY.items())
