"""GDPR Art. 9 special categories and Art. 10 criminal data, from Dutch and English vocabulary.

A term alone ("the health check", "diabetes research") is not personal data; it becomes one when it
is said about a person. So every match needs person context within the window: a pronoun, a role
word or a label of a personal record.
"""

from __future__ import annotations

from services.detection.detector import Detector, compile_words

# words that show a statement is about a particular person (Dutch and English)
PERSON = (
    "patiënt", "patient", "cliënt", "client", "medewerker", "werknemer", "employee", "klant", "customer",
    "leerling", "student", "sollicitant", "applicant", "kandidaat", "candidate", "meneer", "mevrouw",
    "dhr.", "mevr.", "mr.", "mrs.", "ms.", "de heer", "hij ", "zij ", " he ", "she ", " his ", " her ",
    "zijn ", "haar ", "heeft", "has ", "lijdt", "suffers", "gediagnosticeerd", "diagnosed", "naam",
    "name", "bsn", "geboren", "born", "is lid", "member of", "mijn ", " my ", "behandeld", "treated",
    "gebruikt", "takes ", "patiente", "persoon", "person",
)

VOCABULARY: dict[str, tuple[str, ...]] = {
    "special.health": (
        "diabetes", "kanker", "cancer", "hiv", "aids", "depressie", "depression", "zwanger", "pregnant",
        "zwangerschap", "pregnancy", "burn-out", "burnout", "epilepsie", "epilepsy", "astma", "asthma",
        "adhd", "autisme", "autism", "chemotherapie", "chemotherapy", "psychose", "psychosis",
        "schizofrenie", "schizophrenia", "ziekgemeld", "ziek gemeld", "sick leave", "ziekteverzuim",
        "arbeidsongeschikt", "medisch dossier", "medical record", "alzheimer", "dementie", "dementia",
        "hepatitis", "hartaanval", "heart attack", "hartfalen", "heart failure", "insuline", "insulin",
        "antidepressiva", "antidepressants", "verslaving", "addiction", "bipolair", "bipolar",
        "multiple sclerose", "multiple sclerosis", "reuma", "rheumatism", "diagnose", "diagnosis",
    ),
    "special.religion": (
        "moslim", "muslim", "islamitisch", "islamic", "christen", "christian", "katholiek", "catholic",
        "rooms-katholiek", "protestant", "protestants", "joods", "jewish", "hindoe", "hindu",
        "boeddhist", "buddhist", "boeddhistisch", "buddhism", "atheïst", "atheist", "gereformeerd",
        "religie", "religion", "geloofsovertuiging", "religious belief", "moskee", "mosque", "synagoge",
        "synagogue",
    ),
    "special.ethnicity": (
        "etniciteit", "ethnicity", "etnische afkomst", "ethnic origin", "ethnic background",
        "marokkaanse afkomst", "turkse afkomst", "surinaamse afkomst", "antilliaanse afkomst",
        "migratieachtergrond", "migration background", "racial origin", "ras en afkomst", "allochtoon",
        "afkomst", "huidskleur", "skin colour", "skin color",
    ),
    "special.political": (
        "politieke voorkeur", "political opinion", "political affiliation", "politieke partij",
        "political party", "partijlid", "party member", "stemt op", "votes for", "vakbond",
        "trade union", "vakbondslid", "union member", "lid van de vvd", "lid van de pvv", "lid van d66",
        "lid van het cda", "lid van groenlinks", "lid van de pvda", "lid van de sp", "lid van de bbb",
    ),
    "special.sexual_orientation": (
        "homoseksueel", "homosexual", "lesbisch", "lesbian", "biseksueel", "bisexual", "homo", "gay",
        "seksuele geaardheid", "sexual orientation", "heteroseksueel", "heterosexual", "queer",
        "seksleven", "sex life",
    ),
    "special.biometric": (
        "vingerafdruk", "fingerprint scan", "fingerprints", "vingerafdrukken", "gezichtsherkenning",
        "facial recognition", "face template", "gezichtsscan", "face scan", "irisscan", "iris scan",
        "biometrische gegevens", "biometric data", "biometric template", "stemafdruk", "voiceprint",
        "retinascan", "retina scan",
    ),
    "special.criminal": (
        "strafblad", "criminal record", "veroordeeld", "convicted", "conviction", "veroordeling",
        "strafrechtelijk verleden", "gearresteerd", "arrested", "gedetineerd", "detentie", "detained",
        "taakstraf", "community service", "justitiële documentatie", "delict", "misdrijf",
        "criminal offence", "criminal offense", "gevangenisstraf", "prison sentence",
    ),
}


def _detector(kind: str, terms: tuple[str, ...]) -> Detector:
    return Detector(
        kind, compile_words(terms), keywords=tuple({t.split()[0][:6] for t in terms}), context=PERSON,
        needs_context=True, check="special-category term said about a person", confidence=0.75,
        context_confidence=0.8, window=60, name=kind.replace(".", "_"),
    )


DETECTORS = tuple(_detector(kind, terms) for kind, terms in VOCABULARY.items())
