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

import functools
import re
from collections.abc import Callable

from services.detection.detector import DOCUMENT_REACH, Detector
from services.detection.detectors import special_vocabulary as more
from services.detection.patterns import LazyPattern, lazy_regex

PERSON_REACH = 80  # characters each side of a term searched for a person being described

# the people case files, HR files, school care notes and referrals are about, and the record labels
# such files put above a person's data (a number that identifies one person: dossier, client, staff)
MORE_ROLE_WORDS = (
    "cliente", "aanvrager", "aanvraagster", "hulpvrager", "werkneemster", "stagiair",
    "stagiaire", "scholier", "zorgleerling", "zoon", "dochter", "son", "daughter",
    "moeder", "vader", "mother", "father", "echtgenoot", "echtgenote", "husband", "wife", "huurder",
    "inwoner", "uitkeringsgerechtigde", "werkzoekende", "claimant", "pupil", "candidate", "participant",
    "defendant", "jongere", "jeugdige", "minderjarige", "vrijwilliger", "volunteer", "trainee", "learner",
    "staff member", "melder", "dossiernummer", "clientnummer", "cliëntnummer",
    "patiëntnummer", "patientnummer", "personeelsnummer", "zaaknummer", "leerlingnummer",
    "studentnummer", "employee number", "employee id", "staff number", "patient id", "nhs number",
    "geb.", "d.o.b.",
    # a hotel's or venue's guest in incident notes and reservations ("gast heeft een lopende taakstraf")
    "gast", "hotelgast",
    # who reports or complains in a moderation, complaint or police report ("melder is zelf moslim")
    "melder", "klager", "klaagster", "aangever", "aangeefster", "complainant",
    # the parties of a notarial deed or a will (Wet op het notarisambt: comparant; erfrecht: erflater)
    "erflater", "erflaatster", "testator", "comparant", "comparante",
)

# singular role words and titles: substrings safe enough to list in an explanation
ROLE_WORDS = (
    "patiënt", "patiente", "patiënte", "cliënt", "cliënte", "medewerker", "medewerkster", "werknemer",
    "employee", "collega", "colleague", "leerling", "sollicitant", "applicant", "kandidaat", "bewoner",
    "deelnemer", "verzekerde", "zorgvrager", "betrokkene", "gedetineerde", "verdachte", "mevrouw",
    "mevr.", "de heer", "dhr.", "meneer", "mw.", "herr ", "frau ", "monsieur", "madame", "mme ",
    "ik ben", "ik heb", "ik had", "ik word", "i am ", "i have ", "i had ", "i'm ", "i was ", "ich bin",
    "ich habe", "geboortedatum", "geboren op", "date of birth", "bsn",
) + tuple(w for w in MORE_ROLE_WORDS if len(w) > 5)
# word-bounded cues: roles, titles, pronouns and first-person words (case-insensitive)
_CUE_WORDS = (
    "patiënt", "patient", "patiente", "patiënte", "cliënt", "cliënte", "medewerker",
    "medewerkster", "werknemer", "employee", "collega", "colleague", "leerling", "pupil", "student",
    "sollicitant", "applicant", "kandidaat", "bewoner", "deelnemer", "verzekerde", "zorgvrager",
    # (not "client", "tenant", "child", "kind" or "suspect": code and English prose use them for
    # programs, SaaS accounts, tree nodes, types and guesses)
    "betrokkene", "gedetineerde", "verdachte", "klant", "jongen", "meisje", "boy", "girl", "het kind",
    "dit kind", "ons kind", "uw kind", "mevrouw", "meneer", "de heer", "monsieur",
    "madame", "hij", "zij", "ze", "hem", "haar", "he", "she", "him", "his", "her", "hers", "sie", "ihm",
    # third-person singular reflexives are as particular as the pronouns ("describes herself"; Dutch
    # "zichzelf" is plural too, so it counts only after a singular verb: _SINGULAR_REFLEXIVE)
    "himself", "herself",
    "ihn", "elle", "ik", "mijn", "mij", "my", "me", "ich",
    "mein", "meine", "meiner", "mir", "j'ai", "je suis", "geboortedatum", "geboren", "born", "bsn",
    "dob", "date of birth",
) + MORE_ROLE_WORDS
_CUE_ALTERNATION = "|".join(re.escape(w) for w in sorted(_CUE_WORDS, key=len, reverse=True))
# a possessive 's keeps the cue ("the employee's diagnosis": that employee's), other apostrophes do not
_CUE = lazy_regex(rf"(?<![\w'])(?:{_CUE_ALTERNATION})(?![\w]|'(?!s\b))", re.IGNORECASE)
# a title is written capitalised at the start of a sentence or a label ("Dhr. De Vries", "De heer Yilmaz")
_TITLE = r"(?:(?i:de heer|mevrouw|mevr\.?|mw\.?|dhr\.?|meneer)|Mr\.?|Mrs\.?|Ms\.?|Herr|Frau|Mme\.?|Dr\.?)"
# "noemt zichzelf", "ziet zichzelf als": a singular present-tense verb (ending in -t) before the reflexive
_SINGULAR_REFLEXIVE = lazy_regex(r"(?i)(?<![\w])\w+t\s+zichzelf(?![\w])")
# "I" is a pronoun only as a capital letter on its own
_FIRST_PERSON_I = lazy_regex(r"(?<![\w'])I(?:'m|'ve| am| have| had| was| suffer| take)\b")
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
    # more of the commonest given names in Dutch civil records (Meertens Voornamenbank top lists) and
    # in English-language case files: the same kind of sign, just more people
    "Adriaan", "Arjen", "Astrid", "Bert", "Bianca", "Birgit", "Corry", "Debora", "Diederik", "Dominique",
    "Edwin", "Esther", "Gert", "Gijs", "Hendrik", "Hester", "Hugo", "Jelle", "Jolanda", "Jos", "Karin",
    "Kim", "Lucia", "Maaike", "Manon", "Marloes", "Martin", "Mehmet", "Michiel", "Mirjam", "Monique",
    "Nicole", "Niels", "Patrick", "Remco", "Renate", "Rianne", "Richard", "Roel", "Ronald", "Ruud",
    "Saskia", "Sjoerd", "Stijn", "Tamara", "Teun", "Tess", "Vincent", "Wouter", "Yara", "Youssef", "Zainab",
    "Anil", "Arjun", "Deepak", "Fenna", "Gijsbert", "Hatice", "Kübra", "Mustafa", "Oussama", "Samira",
    "Soufiane", "Anthony", "Benjamin", "Charles", "Elizabeth", "Emily", "George", "Harry", "Jessica",
    "Joseph", "Katherine", "Margaret", "Matthew", "Michael", "Oliver", "Rebecca", "Robert", "Susan",
    "William", "Jennifer", "Linda",
))
# "his or her", "hij/zij": forms and documentation addressing anyone, not a person described
_GENERIC_PAIR = lazy_regex(r"(?i)(?<![\w])(?:he|him|his|hij|hem|zijn|er)\s*(?:or|of|oder|/)\s*(?:she|her|hers"
                           r"|zij|ze|haar|sie|ihr)(?![\w])|\bs/he\b")
# (the second part of a hyphenated place is no given name: "Pays-Bas", "Saint-Paul"; "Jean-Pierre" is
# found by its first part)
_NAME = lazy_regex(r"(?<![\w-])[A-Z][a-zà-ÿë]+(?![\w])")
# initials and a surname, as Dutch and English records write a person ("P. Smit", "J.H. de Wit"): the
# initial stands alone after a space, not after a word that labels a letter ("type B. The", "bijlage A.")
_INITIALS = r"(?:[A-Z]\.[ \t]?){1,3}[ \t]?(?:(?:van|de|der|den|ten|ter|el|al|bin)[ \t]+)*[A-Z][a-zà-ÿ]{2,}"
_INITIALS_NAME = lazy_regex(rf"(?<![\w.])(?<!type )(?<!Type )(?<!fase )(?<!phase )(?<!bijlage )(?<!appendix )"
                            rf"(?<!groep )(?<!group )(?<!vitamine )(?<!vitamin )(?<!hepatitis )(?<!plan )"
                            rf"(?<!stap )(?<!step )(?<!klasse )(?<!class )(?<!optie )(?<!option ){_INITIALS}")
# sentence openers an initial may precede ("... hepatitis B. Hij ..."): not a surname
_NOT_SURNAMES = frozenset(("Het", "Hij", "Zij", "Ze", "Wij", "Een", "Dit", "Dat", "Die", "Deze", "Er", "Ik",
                           "In", "Op", "The", "He", "She", "We", "This", "That", "These", "There", "It", "On",
                           "At", "For", "And", "But", "Als", "Bij", "Met", "Van", "Voor", "Na", "Per"))
# saints name churches, schools and hospitals, not the person described ("St. Mary's Church")
_SAINT = lazy_regex(r"(?<![\w])(?:St\.?|Sint|Saint|Sankt|San|Santa)[ \t-]+[A-Z][\w']*")
# a record label with a person's name as its value ("Naam: Eva Jansen", "name = "Jan de Vries"",
# "patient: Smith"): a form or file about one person, whatever the name; a bare name label needs a
# given name and a surname (an organisation or a product is one word, a schema field lower case)
_LABEL_SEP = r"[\"']?[ \t]*[:=][ \t]*[\"']?"
_RECORD_LABEL = lazy_regex(rf"(?<![\w])(?:(?i:naam|name|voornaam|achternaam|full name){_LABEL_SEP}"
                           r"(?:[A-Z][a-zà-ÿ]+[ \t]+(?:(?:van|de|der|den|ten|ter|el|al|bin)[ \t]+)*"
                           rf"[A-Z][a-zà-ÿ]|{_INITIALS})"
                           r"|(?i:patiënt|patient|leerling|pupil|employee|werknemer|medewerker|cliënt|client"
                           r"|candidate|kandidaat|applicant|sollicitant|tenant|huurder|bewoner|resident|verdachte|suspect"
                           rf"|deelnemer|participant|overledene|deceased){_LABEL_SEP}"
                           r"[A-Z][a-zà-ÿ])")
# a heading or label naming one person by role and record number ("## Kandidaat TB-58013", "Patiënt
# 4820117", "Cliënt nr. 3381"), as case, intake and HR notes head each person's section: the notes below
# are about that person. The number carries letters, "nr"/"#" or five digits (not a year)
_ROLE_NUMBER = lazy_regex(r"(?i:kandidaat|candidate|patiënt|patient|cliënt|client|leerling|pupil|deelnemer"
                          r"|participant|huurder|tenant|sollicitant|applicant|medewerker|employee|werknemer"
                          r"|jeugdige|bewoner|resident)[ \t]+(?:(?i:nr\.?|no\.?|#)[ \t]*\d{3,}"
                          r"|[A-Z]{1,4}-?\d{3,}|\d{5,})(?![\w])")
# "zijn" just before the term is the possessive ("zijn diabetes"), after it the verb ("... zijn")
_POSSESSIVE_ZIJN = lazy_regex(r"(?i)(?<![\w])(?<!er )(?<!die )(?<!dat )(?<!we )(?<!wij )(?<!ze )(?<!zij )"
                              r"(?<!jullie )(?<!u )(?<!ook )zijn\s+(?:\w+\s+)?$")
# the second person names the reader only where the text greets one (a letter, an e-mail, a chat):
# a form, a policy or a leaflet addresses "u" and "you" generically
_ADDRESSED = lazy_regex(r"(?i)(?<![\w'])(?:u|uw|je|jij|jou|jouw|you|your|yours|ihr|ihre|sie)(?![\w'])")
_SALUTATION = lazy_regex(r"(?im)^[ \t>]*(?:geachte|beste|lieve|hallo|hoi|dear|hi|hello|sehr geehrte|liebe"
                         r"|bonjour|chère|cher)\b")
# header of a table whose rows are people (a client list, an HR export, a patient register)
_PERSON_COLUMNS = lazy_regex(r"(?i)(?<![a-z])(?:voornaam|achternaam|surname|first_?name|last_?name|patiënt"
                             r"|patient|employee|medewerker|werknemer|leerling|pupil|bsn|geboortedatum"
                             r"|date_?of_?birth|dob|birth_?date|personeelsnummer)(?![a-z])")
# a job advertisement, a privacy policy, a statistic or a package leaflet speaks of a role, "the
# employee" or "you" in general: near those words only a name or a record label marks a person
GENERIC_REACH = 300
_GENERIC_TEXT = lazy_regex(
    r"(?i)vacature|\bwij zoeken\b|\bwe zoeken\b|we are looking for|\bjob (?:description|opening)\b"
    r"|functie-?eisen|functieomschrijving|solliciteer|apply now|\(m/v(?:/x)?\)|\bm/v/x\b|\(m/f(?:/d|/x)?\)"
    r"|privacyverklaring|privacy ?statement|privacy ?policy|privacybeleid|privacy notice|\bpolicy\b"
    r"|bijzondere (?:categorieën van )?persoonsgegevens|special categor(?:y|ies) of (?:personal )?data"
    r"|\b(?:art(?:ikel|icle|\.)?) ?9\b|bijsluiter|package leaflet|patient information leaflet"
    r"|\d\s?%|\bprocent\b|\bper ?cent\b|\bgemiddeld|\bon average\b|\bthe average\b"
    # an HR policy, a handbook or an insurance policy's terms speak of "de werknemer" and "u" in general
    r"|verzuimbeleid|verzuimprotocol|verzuimreglement|ziekteverzuimbeleid|personeelshandboek|personeelsgids"
    r"|employee handbook|staff handbook|(?:sick(?:ness)?|absence|leave|attendance) (?:policy|procedure)"
    r"|polisvoorwaarden|verzekeringsvoorwaarden|aanvullende verzekering|basisverzekering|zorgverzekering"
    r"|health (?:plan|insurance)|insurance polic|\bis covered\b|\bcoverage\b|\bvergoed(?:en|ing)\b")
# a role after an indefinite or universal article is anyone in that role ("een werknemer die ziek is",
# "every employee", "a patient with"), and so is an organisation's own ("our patients' rights"): not a
# person described
_ROLES = (r"(?:patiënt|patient|cliënt|client|medewerker|werknemer|employee|collega|colleague|leerling|pupil"
          r"|student|sollicitant|applicant|candidate|kandidaat|bewoner|resident|deelnemer|participant|verzekerde"
          r"|klant|customer|tenant|huurder|kind|child|verdachte|suspect)")
_ANY_ROLE = lazy_regex(r"(?i)(?<![\w])(?:(?:een|elke|iedere?|alle|a|an|any|every|each|all)\s+(?:\w+\s+)?"
                       rf"{_ROLES}(?:en|s|es)?|(?:our|onze|their|hun)\s+(?:\w+\s+)?{_ROLES}(?:en|s|es)'?)(?![\w])")
_TITLED_NAME = lazy_regex(rf"(?<![\w]){_TITLE} [A-Z]")
# a term that is the subject of a work, a course or a debate is a topic, not a property of the person who
# writes, teaches or follows it ("een boek over de islam", "an article on prison reform")
_TOPIC_BEFORE = lazy_regex(r"(?i)(?<![\w])(?:boek|artikel|book|article|lezing|lecture|essay|documentaire"
                           r"|documentary|podcast|cursus|course|workshop|seminar|congres|conference|debat|debate"
                           r"|onderzoek|research|studie|study|scriptie|thesis)"
                           r"(?:\s+\w+){0,4}\s+(?:over|about|on|naar|of|van)\s+(?:de\s+|het\s+|the\s+)?$")
_TOPIC_AFTER = lazy_regex(r"(?i)[- ](?:reform|hervorming|policy|beleid|research|onderzoek|statistics"
                          r"|statistieken|cijfers|rates|awareness|campagne|campaign)\b"
                          # a belief joined to a political ideology names the ideology ("christelijk-sociaal",
                          # "christen-democratisch", "Christian democrat"): a political view, not a faith
                          r"|-(?:sociaal|sociale|democratisch|democratische|democraat|democraten)\b"
                          r"|(?i:\s+democrat(?:s|ic)?)\b")

# a term standing as a code identifier, a schema field or a documented parameter is not prose:
# attached to identifier punctuation, a JSON/YAML key, an annotated or assigned name, a quoted enum
_IDENTIFIER_BEFORE = lazy_regex(r"[._$@/#\\]$|[\w]-$")
_IDENTIFIER_AFTER = lazy_regex(r"^(?:[_(\[=]|[\"']?\s*:\s*(?:[\"'\[{]|\w+[\[,)\]]|$|(?:str|int|bool|float"
                               r"|string|number|boolean|array|object|Optional|List|NotRequired|Literal)\b))")
_QUOTED = lazy_regex(r"^[\"'`]")
_RECORD_KEY = lazy_regex(r"[\"']([\w-]+)[\"']\s*:\s*[\"']$")
# keys under which a schema, a form definition or a config names a field rather than holds a value
SCHEMA_KEYS = frozenset(("name", "type", "title", "description", "field", "key", "label", "id", "example",
                         "examples", "default", "format", "column", "category", "enum", "const", "pattern",
                         "value", "values", "option", "options", "tag", "kind", "ref", "$ref"))
# lines that document an API or a schema rather than describe someone
_API_LINE = lazy_regex(r":param\b|@param\b|\bparam\s|\bArgs:|\bReturns?:|\"description\"\s*:|\"type\"\s*:"
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

# origins people are described by in Dutch and English files, and the ways those files say it
# ("van Turkse afkomst", "of Moroccan descent"): every origin with every phrasing, as data
ORIGINS_NL = ("marokkaanse", "turkse", "surinaamse", "antilliaanse", "molukse", "indonesische", "afrikaanse",
              "chinese", "poolse", "koerdische", "somalische", "eritrese", "syrische", "afghaanse", "ghanese",
              "kaapverdiaanse", "hindoestaanse", "creoolse", "aziatische", "arabische", "berberse",
              "caribische", "joodse", "roma", "arubaanse", "curaçaose", "nigeriaanse", "pakistaanse")
ORIGINS_EN = ("moroccan", "turkish", "african", "asian", "chinese", "indian", "pakistani", "caribbean",
              "hispanic", "latino", "arab", "kurdish", "somali", "surinamese", "jewish", "romani",
              "nigerian", "afro-caribbean", "south asian", "east asian", "bangladeshi", "polish")
VOCABULARY["special.ethnicity"] += (
    tuple(f"{o} {w}" for o in ORIGINS_NL for w in ("afkomst", "komaf", "roots", "achtergrond"))
    + tuple(f"{p} {o} {w}" for o in ORIGINS_EN for p in ("of",) for w in ("descent", "origin", "heritage"))
    + ("afro-surinaams", "hindostaans", "hindoestaans", "woonwagenbewoner", "ethnic group",
       "etnische groep", "bame", "person of colour", "person of color")
)
# wording of case files, HR and school records, referrals and sick-leave notes (the AP lists medical
# history, treatments, medication, disabilities and genetic tests as health data): conditions,
# treatments and the phrases that attach them to someone. Genetic test results are health data
# here (what they reveal is a hereditary condition); a DNA profile used to identify is biometric.
VOCABULARY["special.health"] += (
    "dyslexie", "dyslexia", "dyscalculie", "dyscalculia", "dyslexieverklaring", "zorgleerling",
    "autismespectrumstoornis", "autism spectrum disorder", "pdd-nos", "gedragsstoornis",
    "leerstoornis", "learning disability", "ontwikkelingsachterstand", "ggz", "ggz-behandeling",
    "psychiater", "psychiatrist", "psychiatrisch", "psychiatric", "psychische klachten",
    "psychische problemen", "psychische aandoening", "mental illness",
    "medicatie", "medication", "ritalin", "methylfenidaat",
    "methylphenidate", "sertraline", "paroxetine", "fluoxetine", "oxazepam", "diazepam",
    "metformine", "metformin", "gediagnosticeerd", "gediagnostiseerd", "diagnosed", "lijdt aan",
    "suffers from", "suffering from", "chronisch ziek", "chronically ill", "chronische ziekte",
    "chronic illness", "medische aandoening", "medical condition", "migraine", "hernia",
    "fibromyalgie", "fibromyalgia", "long covid", "whiplash", "hartklachten", "rugklachten",
    "hersenletsel", "brain injury", "niet-aangeboren hersenletsel", "lichamelijke beperking",
    "verstandelijke beperking", "functiebeperking", "wmo-indicatie", "wmo-voorziening",
    "medische indicatie", "medische gronden", "medical grounds",
    "ziekenhuisopname", "hospital admission", "revalidatie", "fysiotherapie", "physiotherapy",
    "surgery", "hersteld gemeld", "hersteldmelding", "arts-bezoek", "arbo-arts", "arboarts",
    "occupational physician", "verzuimdossier", "ziektewet", "wia-uitkering", "wajong", "cariës",
    "caries", "wortelkanaalbehandeling", "root canal", "parodontitis", "periodontitis",
    "gebitsprothese", "tandvleesontsteking", "gum disease", "brca", "brca1", "brca2", "brca-gen",
    "genetische test", "genetic test", "dna-test", "dna test", "erfelijkheidsonderzoek",
    "erfelijke aandoening", "hereditary condition", "genetische aanleg", "genetic predisposition",
    "dragerschap", "klinisch genetisch", "ziekte van huntington",
    "huntington's disease", "cystic fibrosis",
    "taaislijmziekte", "down syndrome", "syndroom van down",
)
VOCABULARY["special.religion"] += (
    "halal", "halal eten", "koosjer eten", "kosher meals", "kosher food", "suikerfeest", "offerfeest",
    "eid al-fitr", "eid al-adha",
    "jom kipoer", "yom kippur", "pesach", "passover", "rosj hasjana", "rosh hashanah", "diwali",
    "divali", "vrijdaggebed", "friday prayers", "gebedstijden", "prayer times", "gebedsruimte",
    "hoofddoek", "headscarf", "hijab", "keppel", "kippah", "tulband", "turban", "kerkdienst",
    "church service", "sabbat", "sabbath", "sjabbat", "shabbat", "parochie", "kerklid",
    "church member", "doopsgezind", "pinkstergemeente", "mormoon", "mormon", "lid van de kerk",
    "member of the church",
    "religieuze gronden", "religious grounds", "religious reasons", "geloofsredenen",
    "mijn geloof", "zijn geloof", "haar geloof", "his faith", "her faith", "my faith", "kerkbijdrage",
    "kerkelijke bijdrage", "church tax", "kirchensteuer",
)
VOCABULARY["special.political"] += (
    "vakbondscontributie", "contributie vakbond", "union dues", "trade union dues", "union membership",
    "trade union membership", "vakbondslidmaatschap", "fnv-lid", "cnv-lid", "lid van de vakbond",
    "fnv-contributie", "contributie fnv", "cnv-contributie", "contributie cnv", "politiek actief",
    "politically active", "partijcontributie", "party dues", "labour party member",
    "member of the labour party", "conservative party member", "registered democrat",
    "registered republican", "gewerkschaftsbeitrag",
)
VOCABULARY["special.sexual_orientation"] += (
    "uit de kast", "came out as", "coming-out", "same-sex partner", "partner van hetzelfde geslacht",
    "lhbti", "lhbtiq", "lgbt", "lgbtq", "biseksualiteit", "bisexuality",
)
# (a bare "biometric" is left out: it is the adjective of products and login methods, where a
# template, a scan or an enrolment is the data itself)
VOCABULARY["special.biometric"] += (
    "fingerprint enrolment", "fingerprint enrollment", "fingerprint template", "fingerprint data",
    "vingerafdruksjabloon", "vingerafdrukgegevens", "vingerafdrukscan", "vingerafdrukscanner",
    "biometrische kenmerken", "biometric identifiers", "biometric enrolment", "handgeometrie",
    "hand geometry", "aderpatroon", "vein pattern", "irispatroon", "iris pattern", "gezichtskenmerken",
    "dna-profiel", "dna profile", "gezichtsherkenningsdata", "minutiae",
)
VOCABULARY["special.criminal"] += (
    "verdacht van", "suspected of", "charged with", "aangeklaagd", "aangehouden door de politie",
    "aangehouden wegens", "aangehouden voor", "in hechtenis",
    "voorarrest", "pre-trial detention", "tbs-maatregel", "reclasseringstoezicht",
    "antecedenten", "justitiële antecedenten", "geseponeerd", "sepot", "strafzaak",
    "criminal case", "politierechter", "celstraf", "huisverbod", "contactverbod", "locatieverbod",
    "restraining order", "winkeldiefstal", "shoplifting", "rijden onder invloed", "drunk driving",
    "negatieve vog", "vog afgewezen",
    "vog niet afgegeven", "voornemen tot weigering", "previous convictions", "criminal conviction",
    "criminal convictions", "veroordeeld tot",
    "aangifte tegen",
)

VOCABULARY["special.health"] += more.HEALTH
VOCABULARY["special.religion"] += more.RELIGION
VOCABULARY["special.ethnicity"] += more.ETHNICITY
VOCABULARY["special.political"] += more.POLITICAL
VOCABULARY["special.biometric"] += more.BIOMETRIC
VOCABULARY["special.criminal"] += more.CRIMINAL
VOCABULARY["special.health"] += more.HEALTH_ROUND4
VOCABULARY["special.religion"] += more.RELIGION_ROUND4
VOCABULARY["special.sexual_orientation"] += more.SEXUAL_ROUND4
VOCABULARY["special.ethnicity"] += more.ETHNICITY_ROUND4
VOCABULARY["special.political"] += more.POLITICAL_ROUND4
VOCABULARY["special.biometric"] += more.BIOMETRIC_ROUND4
VOCABULARY["special.health"] += more.HEALTH_ROUND5
VOCABULARY["special.criminal"] += more.CRIMINAL_ROUND5
VOCABULARY["special.ethnicity"] += more.ETHNICITY_ROUND5
VOCABULARY["special.political"] += more.POLITICAL_ROUND5
VOCABULARY["special.sexual_orientation"] += more.SEXUAL_ROUND5
VOCABULARY["special.criminal"] += more.CRIMINAL_ROUND5_SENTENCE
VOCABULARY["special.political"] += more.POLITICAL_ROUND6
VOCABULARY["special.ethnicity"] += more.ETHNICITY_ROUND6
VOCABULARY["special.sexual_orientation"] += more.SEXUAL_ROUND6
VOCABULARY["special.criminal"] += more.CRIMINAL_ROUND6
VOCABULARY["special.religion"] += more.RELIGION_ROUND6
VOCABULARY["special.health"] += more.NURSING + more.HEALTH_ROUND7
VOCABULARY["special.religion"] += more.RELIGION_ROUND7
VOCABULARY["special.political"] += more.POLITICAL_ROUND7
VOCABULARY["special.ethnicity"] += more.ETHNICITY_ROUND7
VOCABULARY["special.political"] += more.POLITICAL_ROUND7B
VOCABULARY["special.health"] += more.HEALTH_ROUND8
VOCABULARY["special.ethnicity"] += more.ETHNICITY_ROUND8
VOCABULARY["special.sexual_orientation"] += more.SEXUAL_ROUND8
VOCABULARY["special.religion"] += more.RELIGION_ROUND8
VOCABULARY["special.criminal"] += more.CRIMINAL_ROUND8
VOCABULARY["special.biometric"] += more.BIOMETRIC_ROUND8

# GDPR Art. 9(1) names trade-union membership beside political opinion, as a category of its own: the
# terms that name a union, its dues or a union role leave political opinion for special.trade_union
# (a note that names a party as well still states the party: "vakbondsafgevaardigde en lid van de PvdA")
_UNION_TERM = re.compile(r"vakbond|union|abvakabo|unison|shop steward|kaderlid|gewerkschaft|syndica|syndiqu"
                         r"|\b(?:fnv|cnv|gmb|unite|acv|abvv|aclvb|csc|fgtb|cgslb)\b")
VOCABULARY["special.trade_union"] = (*(t for t in VOCABULARY["special.political"] if _UNION_TERM.search(t)),
                                     *more.TRADE_UNION_ROUND7)
VOCABULARY["special.political"] = tuple(t for t in VOCABULARY["special.political"]
                                        if not _UNION_TERM.search(t))

# words that announce a category rather than name a condition, belief or origin: where a specific
# term of the same category stands in the same statement (within STATEMENT_REACH on its line, before
# or after), that one is the finding (one per statement)
ANNOUNCING: dict[str, tuple[str, ...]] = {
    "special.health": ("diagnose", "diagnosis", "medisch dossier", "medical record", "medical history",
                       "medische voorgeschiedenis", "ziekgemeld", "ziek gemeld", "ziekmelding", "sick leave",
                       "gediagnosticeerd", "gediagnostiseerd", "diagnosed", "lijdt aan", "suffers from",
                       "suffering from", "medische aandoening", "medical condition", "medicatie",
                       "medication", "verzuimdossier", "medische gronden", "medical grounds",
                       "medische indicatie", "genetische test", "genetic test", "dna-test", "dna test",
                       "wmo-indicatie", "souffre de", "souffre d'une"),
    "special.religion": ("religie", "religion", "geloofsovertuiging", "religious belief",
                         "levensbeschouwing", "religieuze gronden", "religious grounds", "religious reasons",
                         "geloofsredenen"),
    "special.ethnicity": ("etniciteit", "ethnicity", "afkomst", "etnische afkomst", "ethnic origin",
                          "ethnic background", "etnische achtergrond", "herkunft"),
    "special.political": ("politieke voorkeur", "political opinion", "political affiliation",
                          "political views", "politieke overtuiging", "political belief"),
    "special.trade_union": ("vakbondslidmaatschap", "union membership", "trade union membership", "vakbond",
                            "trade union", "gewerkschaft"),
    "special.sexual_orientation": ("seksuele geaardheid", "sexual orientation", "seksuele voorkeur",
                                   "sexual preference", "sexuelle orientierung"),
    "special.biometric": ("biometrische gegevens", "biometric data", "biometrische kenmerken",
                          "biometric identifiers"),
    "special.criminal": ("strafrechtelijk verleden", "verdacht van", "suspected of", "charged with",
                         "veroordeeld tot", "aangifte tegen"),
}
# the phrases that say a person is treated or in care announce the condition they are treated for
# (and so do the bare steps of sick leave: being unfit for work, reintegration)
SICK_LEAVE_STEPS = ("re-integratie", "ziekteverzuim", "arbeidsongeschikt", "arbeidsongeschiktheid")
ANNOUNCING["special.health"] += (*more.CARE_PHRASES, *SICK_LEAVE_STEPS)
STATEMENT_REACH = 50  # characters after an announcing word in which a specific term takes its place
# one statement about a person is one finding: a second term of the same category in the same clause
# ("chemokuur voor darmkanker", "in detentie na veroordeling voor fraude", "came out as bisexual") says
# more of the same fact, as a reader counts it; a clause ends at a sentence mark, a semicolon, a line, a
# comma, or an "en"/"and" that opens a clause of its own (a verb or a new subject follows: "heeft
# hemofilie en gebruikt factor VIII" is two facts, "hartkloppingen en kortademigheid" one)
SAME_STATEMENT_REACH = 60
# a form's or record's label with nothing filled in ("Religie: geen", "diagnose: n.v.t."): no statement
_NOTHING_STATED_AFTER = lazy_regex(r"[ \t]*[:=|-][ \t]*(?i:geen|nee|no|none|n\.?v\.?t\.?|n/a|onbekend|unknown"
                                   r"|niet opgegeven|not stated|zeg ik liever niet|prefer not to say|-)?"
                                   r"[ \t]*(?:[;|,]|$)",
                                   re.MULTILINE)
# "aids" after the name of what they help with is the plural of aid ("hearing aids", "visual aids")
_AIDS_AS_TOOLS = lazy_regex(r"(?i)(?:hearing|visual|vision|teaching|walking|mobility|learning|memory|study"
                            r"|sales|audio|navigation|band|sleep|dietary|communication|training|living)[ -]$")
_WHOLE_CELL_BEFORE = lazy_regex(r"(?:^|[;,\t|:])[ \t\"']*$", re.MULTILINE)
_WHOLE_CELL_AFTER = lazy_regex(r"[ \t\"']*(?:[;,\t|]|$)", re.MULTILINE)
_CLAUSE_END = lazy_regex(r"[.!?;,](?=\s|$)|\n|(?i:\s(?:en|and|und|et)\s+(?=(?:heeft|hebben|had|gebruikt|slikt"
                         r"|neemt|krijgt|kreeg|is|was|wordt|werd|zit|zat|ligt|lijdt|dat|die|has|have|uses|takes"
                         r"|gets|got|suffers|that|who|hij|zij|ze|he|she|they|zijn|haar|uw|his|her|their|your|hat"
                         r"|ist|nimmt|il|elle|prend|souffre)\b))")


@functools.cache
def _specific_terms(kind: str) -> tuple[LazyPattern, LazyPattern]:
    """A category's specific terms, and those less its observances, as tries: built on the first term
    found (a one-file scan that meets none never pays for thousands of terms)."""
    announcing = frozenset(ANNOUNCING.get(kind, ()))
    specific = tuple(t for t in VOCABULARY[kind] if t not in announcing)
    return compile_terms(specific), compile_terms(tuple(t for t in specific if t not in OBSERVANCES))


def _place_check(kind: str) -> Callable[[str, int, int], bool]:
    """The fits_place check of a category: in prose, about a person, the specific term of a statement."""
    announcing = frozenset(ANNOUNCING.get(kind, ()))

    def fits(text: str, start: int, end: int) -> bool:
        specific, beliefs = _specific_terms(kind)
        term = text[start:end].lower()
        if term in announcing:
            if (_NOTHING_STATED_AFTER.match(text, end) or _not_said_of_one(text, start, end)
                    or _specific_nearby(specific, text, start, end)
                    or term in CARE_PROCESS and _specific_in_the_file(specific, text, start, end)):
                return False
        elif _said_earlier_in_the_clause(specific, text, start) or (
                term in OBSERVANCES and _belief_in_the_sentence(beliefs, text, start, end)):
            return False
        return (not _no_statement(term, text, start, end) and not _asked(text, end)
                and describes_a_person(text, start, end))
    return fits


# a questionnaire's question to its reader names the categories it asks about ("Heeft u diabetes of hoge
# bloeddruk?", "Are you pregnant?"): it states nothing of anyone, its answer does, unless the answer "ja" /
# "yes" follows it on the same line (PAR-Q and intake forms are laid out either way). A question that
# also speaks in the first person ("kan ik hem ruilen?", "moet mijn dosis omhoog?") still tells of its writer
# (a question wrapped onto a next line that goes on in lower case is still one question)
_QUESTION_REST = lazy_regex(r"(?:[^.!?\n]|\n(?=[ \t]*[a-zà-ÿ])){0,200}\?"
                            r"(?![ \t]*(?i:antwoord|answer)?[ \t]*:?[ \t]*(?i:ja|yes)\b"
                            r"(?![ \t]*(?:/|of|or)[ \t]*(?i:nee|no)\b))")  # "ja / nee" offers, not answers
_FIRST_PERSON = lazy_regex(r"(?<![\w'])(?:(?i:ik|mij|mijn|me|my|mine|ich|mein|meine|mir)|I)(?![\w'])")


def _asked(text: str, end: int) -> bool:
    """The term stands in a question to the reader ("u", "you") that says nothing of its writer."""
    rest = _QUESTION_REST.match(text, end)
    if rest is None:
        return False
    begin = max(text.rfind(mark, 0, end) for mark in ".!?\n") + 1
    if text[max(0, begin - 1)] == "?":  # a question after a question to the reader ("Zorgen over uw kind?
        begin = max(text.rfind(mark, 0, begin - 1) for mark in ".!?\n") + 1  # Bijvoorbeeld bij angst?")
    sentence = text[begin:rest.end()]
    return bool(_ADDRESSED.search(sentence)) and not _FIRST_PERSON.search(sentence)


# the steps of sick leave and care ("plan van aanpak re-integratie", "ziek gemeld", "re-integratieplan")
# say that a condition exists; where the letter or file states the condition itself about its person
# ("door een hernia", "herstelt van een burn-out"), that statement is the fact, reported once where it is
# said; a file that names only the step still gets its finding there
CARE_PROCESS = frozenset((*more.CARE_PHRASES, *SICK_LEAVE_STEPS, "ziekgemeld", "ziek gemeld", "ziekmelding",
                          "sick leave", "verzuimdossier"))
PROCESS_REACH = 1000  # characters each side: the letter or section the step belongs to


def _specific_in_the_file(specific: LazyPattern, text: str, start: int, end: int) -> bool:
    """A specific term of the category is said of a person within PROCESS_REACH of the step."""
    for low, high in ((max(0, start - PROCESS_REACH), start), (end, min(len(text), end + PROCESS_REACH))):
        for match in specific.finditer(text, low, high):
            if match.group(0).lower() not in CARE_PROCESS and describes_a_person(text, match.start(),
                                                                                    match.end()):
                return True
    return False


def _specific_nearby(specific: LazyPattern, text: str, start: int, end: int) -> bool:
    """A specific term stands within STATEMENT_REACH of an announcing word on its line."""
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    stop = min(end + STATEMENT_REACH, line_end if line_end >= 0 else len(text))
    return bool(specific.search(text, end, stop)
                or specific.search(text, max(line_start, start - STATEMENT_REACH), start))


def _no_statement(term: str, text: str, start: int, end: int) -> bool:
    """Hearing aids are tools, not the disease; a care profession nobody is said to see is a role, not a
    condition."""
    if term == "aids" and _AIDS_AS_TOOLS.search(text, max(0, start - 25), start):
        return True
    return term in PROFESSIONS and (_fills_a_cell(text, start, end) or not _seen_by(text, start))


# a person is linked to a care profession by going to, calling, being with or being seen by one ("bij de
# psycholoog", "contact met een psychiater", "belde de arbo-arts", "sees a therapist"); a
# profession that only acts or signs ("volgens de bedrijfsarts", "alleen door de bedrijfsarts verwerkt",
# "Aanwezig: HR, bedrijfsarts", a report's title) says who speaks, not what anyone has
_SEEN_BY = lazy_regex(r"(?i)(?:\bbij|\bnaar|\bmet|\bvan|\bgezien door|\bto|\bwith|\bsees|\bseeing|\bsaw"
                      r"|\bvisits?|\bvisited|\bconsulted|\bconsult(?:s|ing)?|\bspreekuur|\bappointment|\bbelde|\bbelt"
                      r"|\bgebeld|\bcalled|\bphoned|\brang|\bsprak|\bspoke|\bbezocht|\bbezoekt)"
                      r"[ \t]+(?:(?:de|het|een|zijn|haar|hun|eigen|a|an|the|his|her|their|own)[ \t]+)?$")
# an announcing word right after a denial states nothing: "wij mogen geen diagnose noemen", "(geen
# diagnose)", "no medication" (a denied condition, "geen diabetes", is still a fact of someone's health)
_DENIAL = lazy_regex(r"(?i)\b(?:geen|no|zonder|without|keine|kein|aucune?|pas de)[ \t]+$")


def _seen_by(text: str, start: int) -> bool:
    return bool(_SEEN_BY.search(text, max(0, start - 30), start))


# a category word after a quantifier speaks of anyone ("uitvaarten van elke levensbeschouwing", "regardless
# of religion"), and medicine as goods in a transaction is stock, not a treatment ("medicatie retour")
_ANYONE_S = lazy_regex(r"(?i)\b(?:elke|iedere?|alle|ongeacht|ongeacht de|any|every|all|regardless of)[ \t]+$")
_AS_GOODS = lazy_regex(r"[ \t]+(?i:retour|retourneren|teruggestuurd|teruggebracht|refund|refunded|returned"
                       r"|besteld|bestelling|geleverd|levering|voorraad|in stock|out of stock)\b")


def _denied(text: str, start: int) -> bool:
    return bool(_DENIAL.search(text, max(0, start - 12), start))


def _not_said_of_one(text: str, start: int, end: int) -> bool:
    """An announcing word that is denied, quantified over anyone, or names goods: nothing is stated."""
    return bool(_denied(text, start) or _ANYONE_S.search(text, max(0, start - 20), start)
                or _AS_GOODS.match(text, end))


def _fills_a_cell(text: str, start: int, end: int) -> bool:
    """The term is the whole value of a delimited cell or a form field."""
    return bool(_WHOLE_CELL_BEFORE.search(text, max(0, start - 3), start)
                and _WHOLE_CELL_AFTER.match(text, end))


# religious holidays, prayers and dietary rules say a belief only through it: where the belief itself is
# stated in the same sentence ("Tijdens de ramadan is hij moe; het gezin is moslim"), that is the fact
OBSERVANCES = frozenset(("ramadan", "viert ramadan", "divali", "diwali", "suikerfeest", "offerfeest",
                         "eid al-fitr", "eid al-adha", "jom kipoer", "yom kippur", "pesach", "passover",
                         "rosj hasjana", "rosh hashanah", "sabbat", "sabbath", "sjabbat", "shabbat",
                         "vrijdaggebed", "friday prayers",
                         "gebedstijden", "prayer times", "gebedsruimte", "kerkdienst", "church service",
                         "vastenmaand", "halal", "halal eten", "koosjer", "koosjer eten", "kosher meals",
                         "kosher food", "moskeebezoek", "kerkbezoek"))
_SENTENCE_END = lazy_regex(r"[.!?](?=\s|$)|\n")


def _belief_in_the_sentence(beliefs: LazyPattern, text: str, start: int, end: int) -> bool:
    """A belief of the same category is stated elsewhere in the term's sentence."""
    low, high = max(0, start - 150), min(len(text), end + 150)
    for mark in _SENTENCE_END.finditer(text, low, start):
        low = mark.end()
    stop = _SENTENCE_END.search(text, end, high)
    return any(m.start() != start for m in beliefs.finditer(text, low, stop.start() if stop else high))


def _said_earlier_in_the_clause(specific: LazyPattern, text: str, start: int) -> bool:
    """A specific term of the same category stands earlier in the clause, said of a person."""
    clause_start = max(0, start - SAME_STATEMENT_REACH)
    for mark in _CLAUSE_END.finditer(text, clause_start, start):
        clause_start = mark.end()
    # a term that starts earlier is the same statement even where the two overlap ("voormalig raadslid"
    # and "raadslid voor het CDA" in "voormalig raadslid voor het CDA")
    for match in specific.finditer(text, clause_start):
        if match.start() >= start:
            return False
        if describes_a_person(text, match.start(), match.end()) and not _no_statement(
                match.group(0).lower(), text, match.start(), match.end()):
            return True
    return False


# a capitalised term beside an organisation word is part of a name ("Fysiotherapie Centrum West",
# "Stichting Reclassering", "Parkinson Vereniging"): an organisation, not a person's condition
_ORG_WORDS = (r"(?:Centrum|Center|Centre|Praktijk|Kliniek|Clinic|Vereniging|Stichting|Fonds|Instituut"
              r"|Institute"
              r"|Foundation|Association|Society|Trust|Groep|Group|Netwerk|Ziekenhuis|Hospital|Nederland"
              r"|Zorg)")
_ORG_AFTER = lazy_regex(rf"[ \t]+{_ORG_WORDS}\b")
_ORG_BEFORE = lazy_regex(rf"\b{_ORG_WORDS}[ \t]+$")


def _organisation_name(text: str, start: int, end: int) -> bool:
    return text[start:start + 1].isupper() and bool(
        _ORG_AFTER.match(text, end) or _ORG_BEFORE.search(text, max(0, start - 20), start))


# a FHIR clinical resource (HL7 FHIR R4: Condition, AllergyIntolerance, MedicationStatement, …) is about
# the patient its `subject` or `patient` references: its coded text is that patient's health data
_FHIR_CLINICAL = lazy_regex(r"\"resourceType\"\s*:\s*\"(?:Condition|AllergyIntolerance|MedicationStatement"
                            r"|MedicationRequest|MedicationAdministration|Procedure|Immunization|Observation"
                            r"|DiagnosticReport|FamilyMemberHistory)\"")
# its subject: the key, or the reference value (a structured reader may hand the text scan only the lines
# that hold values, without the `"subject": {` line)
_FHIR_SUBJECT = lazy_regex(r"\"(?:subject|patient)\"\s*:\s*\{|\"reference\"\s*:\s*\"(?:Patient/|urn:uuid:)")
FHIR_REACH = 400  # characters before a term searched for its resource's type and subject


def _in_a_fhir_clinical_resource(text: str, start: int) -> bool:
    low = max(0, start - FHIR_REACH)
    return bool(_FHIR_CLINICAL.search(text, low, start) and _FHIR_SUBJECT.search(text, low, start))


def describes_a_person(text: str, start: int, end: int) -> bool:
    """The term stands in prose and a person is described near it (see the module docstring)."""
    if _in_a_fhir_clinical_resource(text, start) and not _IDENTIFIER_AFTER.match(text[end:end + 40]):
        return True
    if _is_identifier(text, start, end) or _a_topic(text, start, end) or _organisation_name(text, start, end):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if _API_LINE.search(text, line_start, line_end if line_end >= 0 else len(text)):
        return False
    if line_start == 0 and _header_row(text[:line_end if line_end >= 0 else len(text)]):
        return False  # a table's header row names columns ("personeelsnummer;religie"), not a person
    near = _SAINT.sub(" ", _GENERIC_PAIR.sub(" ", text[max(0, start - PERSON_REACH):end + PERSON_REACH]))
    if _names_someone(near) or _in_a_personal_record(text, start, end, line_start):
        return True
    if _GENERIC_TEXT.search(text, *_paragraph_around(text, start, end)):
        return False
    near = _ANY_ROLE.sub(" ", near)
    # a file that names its subject under a label above (a patient record, an HR or intake file, a
    # referral: "Naam: K. Hendriks", "Patiënt: Bakker") is about that person down to its notes
    return bool(_RECORD_LABEL.search(text, max(0, start - DOCUMENT_REACH), start) or _CUE.search(near)
                or _ROLE_NUMBER.search(text, max(0, start - DOCUMENT_REACH), start)
                or _FIRST_PERSON_I.search(near) or _SINGULAR_REFLEXIVE.search(near)
                or _POSSESSIVE_ZIJN.search(text, max(0, start - 25), start)
                or _addressed_in_a_letter(text, start, near)
                or _row_of_a_person_table(text, line_start, line_end))


def _paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """GENERIC_REACH each side of a term, within its paragraph: a job ad's or a policy's paragraph speaks
    of anyone, the note about a person in the paragraph before or after it does not."""
    low, high = max(0, start - GENERIC_REACH), min(len(text), end + GENERIC_REACH)
    before = text.rfind("\n\n", low, start)
    after = text.find("\n\n", end, high)
    return (before + 2 if before >= 0 else low), (after if after >= 0 else high)


# a category said of a group ("de politieke voorkeur van kiezers", "the religion of our members",
# "diabetes onder jongeren"): a statistic or a survey topic, nobody in particular
_OF_A_GROUP = lazy_regex(r"(?i)\s+(?:van|of|onder|among|bij|in)\s+(?:de\s+|het\s+|the\s+|onze\s+|our\s+"
                         r"|alle\s+|all\s+|veel\s+|many\s+)?(?:\w+\s+)?(?:kiezers|leden|inwoners|burgers|medewerkers"
                         r"|werknemers|patiënten|patienten|cliënten|clienten|bewoners|leerlingen|studenten|deelnemers"
                         r"|respondenten|jongeren|ouderen|mensen|nederlanders|bevolking|voters|members|residents"
                         r"|citizens|employees|patients|clients|students|participants|respondents|people"
                         r"|population)\b")


# a group named before the term by its plural role ("alle cliënten met diabetes", "studenten met een
# functiebeperking", "patients with epilepsy"): a policy or procedure for whoever has it, nobody in particular
_GROUP_WITH = lazy_regex(r"(?i)(?<![\w])(?:cliënten|clienten|patiënten|patienten|studenten|leerlingen"
                         r"|medewerkers|werknemers|deelnemers|bewoners|mensen|kinderen|ouderen|jongeren"
                         r"|students|clients|patients|employees|pupils|participants|residents|people|children)"
                         r"\s+(?:met|with|die|who\s+have)\s+(?:een\s+|a\s+|an\s+)?(?:[\w-]+\s+)?$")


def _a_topic(text: str, start: int, end: int) -> bool:
    """The term is what a work, course or debate is about, names a field ("prison reform") or is said of
    a group ("de politieke voorkeur van kiezers", "alle cliënten met diabetes")."""
    return bool(_TOPIC_BEFORE.search(text[max(0, start - 60):start]) or _TOPIC_AFTER.match(text, end)
                or _OF_A_GROUP.match(text, end) or _GROUP_WITH.search(text, max(0, start - 60), start))


# a sentence that opens with "Hij is", "She has": a note about the person named just before it (a job ad
# or a policy writes "hij/zij", "the employee", "you"; _GENERIC_PAIR removes the pair first)
# (French notes too: "Il souffre de", "Elle est"; "il" alone is Italian's article, so only so)
_SENTENCE_PRONOUN = lazy_regex(r"(?:^|(?<=[.!?]\s))[ \t>*-]*(?:(?:Hij|Zij|He|She)\s+"
                               r"(?:is|was|heeft|had|has|gebruikt|uses|takes|kreeg|got|zit|lijdt|suffers|werd)"
                               r"|(?:Il|Elle)\s+(?:est|a|souffre|prend|porte|suit|était|avait))\b",
                               re.MULTILINE)


def _names_someone(near: str) -> bool:
    """A title before a name, a record label with a name, initials and a surname, or a given name."""
    return bool(_TITLED_NAME.search(near) or _RECORD_LABEL.search(near) or _SENTENCE_PRONOUN.search(near)
                or any(m.group(0).split()[-1] not in _NOT_SURNAMES for m in _INITIALS_NAME.finditer(near))
                or any(m.group(0) in GIVEN_NAMES for m in _NAME.finditer(near)))


# a form or record line ("Diagnose: astma", "Etniciteit - Turks-Nederlands", "| Medicatie | metformine |")
_FORM_LINE = lazy_regex(r"[ \t>*|-]*[\w][\w .()/-]{1,40}?[ \t]*(?:[:|=\t]|[ \t]-[ \t])")
_LABEL_WITH_VALUE = lazy_regex(r"[ \t]*[:|=\t][ \t|]*[\w]")  # the term labels a filled-in field


def _in_a_personal_record(text: str, start: int, end: int, line_start: int) -> bool:
    """The term is a field's value in a form or record that names its person earlier (a label with a
    name: "Naam: K. Hendriks", "Patiënt: Bakker"), as intake forms, HR files and referrals are laid out:
    the person's name heads the record, the categories follow lines below it."""
    is_label = not text[line_start:start].strip(" \t>*|-")  # the term is the field's label
    if not (_FORM_LINE.match(text, line_start, start) or is_label and _LABEL_WITH_VALUE.match(text, end)):
        return False
    return bool(_RECORD_LABEL.search(text, max(0, line_start - DOCUMENT_REACH), line_start))


def _addressed_in_a_letter(text: str, start: int, near: str) -> bool:
    """"u", "uw", "you", "your" near the term, in a letter or e-mail that greets its reader."""
    return bool(_ADDRESSED.search(near) and _SALUTATION.search(text, max(0, start - DOCUMENT_REACH), start))


def _delimiter(line: str) -> str:
    """The delimiter of a delimited row (two or more of one of ; , tab |), or ""."""
    return next((d for d in ";,\t|" if line.count(d) >= 2), "")


def _header_row(line: str) -> bool:
    """A delimited line of field names: every cell a short name (no number, at most three words)."""
    delimiter = _delimiter(line)
    cells = [c.strip(" \"'") for c in line.split(delimiter)] if delimiter else []
    return bool(cells) and all(c and len(c) <= 40 and len(c.split()) <= 3 and not c.isdigit() for c in cells)


def _row_of_a_person_table(text: str, line_start: int, line_end: int) -> bool:
    """The term is a cell of a delimited row under a header that names a person's columns."""
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    delimiter = _delimiter(line)
    if not delimiter:
        return False
    header_end = text.find("\n")
    header = text[:header_end if header_end >= 0 else len(text)]
    return header.count(delimiter) >= 2 and bool(_PERSON_COLUMNS.search(header))


def _is_identifier(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 2):start], text[end:end + 40]
    if _IDENTIFIER_BEFORE.search(before) or _IDENTIFIER_AFTER.match(after):
        return True
    # a quoted term alone ("ethnicity", 'diabetes') is an enum value or a key, not a statement, unless it
    # is the value of a record's own key ("diagnose": "diabetes"): a fixture or export row about someone
    if not (before[-1:] and _QUOTED.match(before[-1:]) and _QUOTED.match(after[:1])):
        return False
    key = _RECORD_KEY.search(text, max(0, start - 60), start)
    return not key or key.group(1).lower() in SCHEMA_KEYS


def compile_terms(terms: tuple[str, ...]) -> LazyPattern:
    """compile_words' matches (the longest term on word boundaries), as a trie with a first-letter gate.

    Python's `re` tries every branch of a flat alternation at every position; hundreds of terms per
    category made that the slowest part of a scan. A trie tries one branch per letter, and the
    look-ahead of possible first letters skips most positions at once: the same matches (greedy
    optional tails backtrack to the longest term that ends on a boundary), ~15x less time.
    """
    ((_, pattern),) = trie_parts(terms, limit=None)
    return pattern


def trie_parts(terms: tuple[str, ...], limit: int | None) -> list[tuple[tuple[str, ...], LazyPattern]]:
    """The terms' trie as patterns of at most `limit` characters (None: one pattern), each with the
    terms it matches: the trie is built once and split between its first letters, so a category of
    thousands of terms costs one build at start-up, not one to measure and one per share."""
    trie: dict[str, dict] = {}
    for term in terms:
        node = trie
        for char in term.lower():
            node = node.setdefault(char, {})
        node[""] = {}
    branches = [(char, _trie_branch({char: child})) for char, child in sorted(trie.items())]
    groups: list[list[tuple[str, str]]] = [[]]
    size = 0  # of the last group's alternation
    for char, branch in branches:
        if limit is not None and groups[-1] and size + len(branch) > limit - GATE_CHARS:
            groups.append([])
            size = 0
        groups[-1].append((char, branch))
        size += len(branch) + 1
    parts = []
    for group in groups:
        letters = {char for char, _ in group}
        first = "".join(sorted({c for char in letters for c in (char, char.upper())}))
        alternation = "|".join(branch for _, branch in group)
        pattern = lazy_regex(rf"(?=[{re.escape(first)}])(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)
        parts.append((tuple(t for t in terms if t[:1].lower() in letters), pattern))
    return parts


GATE_CHARS = 200  # the first-letter gate and boundaries around a part's branches


def _trie_branch(node: dict) -> str:
    branches = []
    for char, child in sorted(node.items()):
        if not char:
            continue
        run = char
        while len(child) == 1 and "" not in child:  # a run of single letters: escaped at once (start-up)
            ((letter, child),) = child.items()
            run += letter
        branches.append(re.escape(run) + _trie_branch(child))
    ends_here = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if ends_here else "")


# hyperscan refuses expressions longer than about 16,000 characters: a category whose trie grows past
# MAX_PATTERN_CHARS is searched by several detectors of its type, each over a share of its terms
MAX_PATTERN_CHARS = 12_000


def _detectors(kind: str, terms: tuple[str, ...]) -> tuple[Detector, ...]:
    """One detector of `kind`, or several when its terms' trie is too long for hyperscan."""
    parts = _fitting(terms)
    if len(parts) == 1:
        return (_detector(kind, terms, parts[0][1]),)
    return tuple(_detector(kind, share, pattern, f"_{n}") for n, (share, pattern) in enumerate(parts))


def _fitting(terms: tuple[str, ...]) -> list[tuple[tuple[str, ...], LazyPattern]]:
    """trie_parts within MAX_PATTERN_CHARS; a first letter whose own branch is longer is split in halves."""
    fitting = []
    for share, pattern in trie_parts(terms, MAX_PATTERN_CHARS):
        if len(pattern.pattern) <= MAX_PATTERN_CHARS or len(share) < 2:
            fitting.append((share, pattern))
        else:
            ordered = tuple(sorted(share))
            fitting += _fitting(ordered[:len(ordered) // 2]) + _fitting(ordered[len(ordered) // 2:])
    return fitting


def _detector(kind: str, terms: tuple[str, ...], pattern: LazyPattern, suffix: str = "") -> Detector:
    return Detector(
        kind, pattern, keywords=tuple({t.split()[0][:6] for t in terms}), context=ROLE_WORDS,
        check="special-category term in prose, said about a person (name, title, role, pronoun or "
              "first person nearby)",
        confidence=0.8, context_confidence=0.8, window=PERSON_REACH, name=kind.replace(".", "_") + suffix,
        fits_place=_place_check(kind),
    )


# biometric templates themselves, by their standard record format: ISO/IEC 19794 (and ANSI/INCITS 378)
# records open with a format identifier and a version ("FMR\0" finger minutiae, "FIR\0" finger image,
# "FAC\0" face, "IIR\0" iris, "VIR\0" vascular; then " 20\0" or "030\0"), which base64 writes as
# Rk1SA[CD], RklSA[CD], RkFDA[CD], SUlSA[CD], VklSA[CD] and hex as 464d5200 …: whatever file or key a
# template sits in, it is one person's biometric data (Art. 9(1))
_ISO_19794_RECORD = lazy_regex(r"(?<![A-Za-z0-9+/])(?:Rk1S|RklS|RkFD|SUlS|VklS)A[CD][A-Za-z0-9+/]{60,}={0,2}"
                               r"|(?<![0-9A-Fa-f])(?i:464d5200|46495200|46414300|49495200|56495200)"
                               r"(?i:[0-9a-f]{80,})")
# a face embedding written out as numbers under a face key ("face_embedding=[0.02, -0.11, …]"): the
# vector a face-recognition system compares, one person's face template
_FACE_VECTOR = lazy_regex(r"(?i)(?<![\w])(?:face|facial|gezichts?)[_ -]?"
                          r"(?:embedding|encoding|descriptor|vector"
                          r"|template)s?[\"']?\s*[=:]\s*[\"'\[(]*\s*-?\d*\.\d+(?:\s*,\s*-?\d*\.\d+){3,}")
# HL7 v2 messages: the allergy (AL1), diagnosis (DG1), problem (PRB) and pharmacy (RXA/RXE/RXO/RXD) segments
# of a message with a patient identification (PID) segment are that patient's health data (HL7 v2.5 ch. 3,
# 4, 6, 12), whatever words they use
_HL7_CLINICAL_SEGMENT = lazy_regex(r"(?m)^(?:AL1|DG1|PRB|IAM|RXA|RXE|RXO|RXD)\|[^\r\n]{3,}")
_HL7_PATIENT = lazy_regex(r"(?m)^PID\|")


def _in_an_hl7_message_about_a_patient(text: str, start: int, end: int) -> bool:
    return bool(_HL7_PATIENT.search(text, max(0, start - DOCUMENT_REACH), start))


TEMPLATE_DETECTORS = (
    Detector("special.health", _HL7_CLINICAL_SEGMENT,
             keywords=("al1|", "dg1|", "prb|", "iam|", "rxa|", "rxe|", "rxo|", "rxd|"),
             check="a clinical segment (allergy, diagnosis, problem, medication) of an HL7 v2 message "
                   "about a patient (PID)", confidence=0.85, context_confidence=0.85,
             name="special_hl7_segment", fits_place=_in_an_hl7_message_about_a_patient),
    Detector("special.biometric", _ISO_19794_RECORD,
             keywords=("rk1s", "rkls", "rkfd", "suls", "vkls", "464d5200", "46495200", "46414300", "49495200",
                       "56495200"),
             check="an ISO/IEC 19794 biometric record (its format identifier and version)", confidence=0.9,
             context_confidence=0.9, name="special_biometric_record"),
    Detector("special.biometric", _FACE_VECTOR, keywords=("face", "facial", "gezicht"),
             check="a face embedding written out under a face key", confidence=0.85, context_confidence=0.85,
             name="special_face_vector"),
)

DETECTORS = (tuple(d for kind, terms in VOCABULARY.items() for d in _detectors(kind, terms))
             + TEMPLATE_DETECTORS)

# a care profession names who treats, not what a person has: in a record's cell it is a job title
# ("functie: psychiater"), so stated alone it is no finding (a referral phrase still is)
# (a care service, "ggz" or a memory clinic, is not one: a person in its care is in care)
PROFESSIONS = frozenset((*(s for s in more.SPECIALISTS if s not in more.CARE_SERVICES), "psychiater",
                         "psychiatrist", "bedrijfsarts", "arbo-arts", "arboarts", "occupational physician",
                         "reclassering", "reclasseringsambtenaar",
                         "probation officer"))


@functools.cache
def _record_patterns() -> tuple[tuple[str, LazyPattern, frozenset[str]], ...]:
    return tuple((kind, compile_terms(terms), frozenset(ANNOUNCING.get(kind, ())))
                 for kind, terms in VOCABULARY.items())


def record_terms(value: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the special-category statements in one cell of a record about a person.

    The row is the person described (the caller knows the table describes people), so no person is
    searched for; a term must still be a statement: not a code word or a topic, not an announcing word
    where a specific term stands, not a care profession alone, one finding per clause.
    """
    found: list[tuple[str, int, int]] = []
    for kind, pattern, announcing in _record_patterns():
        kept: list[tuple[int, int]] = []
        for match in pattern.finditer(value):
            start, end = match.span()
            term = value[start:end].lower()
            if term in PROFESSIONS or _is_identifier(value, start, end) or _a_topic(value, start, end):
                continue
            if term in announcing and (_NOTHING_STATED_AFTER.match(value, end)
                                       or _not_said_of_one(value, start, end)):
                continue
            if term in announcing and any(m.group(0).lower() not in announcing
                                          for m in pattern.finditer(value)):
                continue
            if kept and not _CLAUSE_END.search(value, kept[-1][1], start):
                continue  # the same clause as the term before: one statement
            kept.append((start, end))
        found += [(kind, start, end) for start, end in kept]
    return found
