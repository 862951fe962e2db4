"""Special categories (GDPR Art. 9) and criminal data (Art. 10) as case files, letters and records write them.

Every case was written for this file from the Autoriteit Persoonsgegevens' and the EDPB's public
descriptions of the categories (health incl. medication, disabilities, sick leave with a diagnosis and
genetic tests; religious holidays and dietary wishes; union membership; biometric templates; criminal
records) and from the kinds of text that only mention them (policies, job ads, statistics, leaflets,
API schemas); none is copied from a corpus.
"""

from __future__ import annotations

import pytest

from services.detection import scan_text

ACTIONABLE = 0.5


def _special(text: str) -> list[tuple[str, str]]:
    """(type, matched text) of the special-category alerts in `text`."""
    lines = text.split("\n")
    return [(f.type, lines[int(str(f.location["line"])) - 1][slice(*f.explanation["span"])])
            for f in scan_text(text) if f.type.startswith("special.") and f.confidence >= ACTIONABLE]


TRUE = [
    # who is described: a letter's reader, a record label, a table row, a possessive, more roles
    ("Geachte mevrouw,\n\nNaar aanleiding van uw ziekmelding wegens een hernia nemen wij contact op.",
     "special.health", "hernia"),
    ("Beste Rob,\n\nJe WMO-indicatie op medische gronden is met een jaar verlengd.", "special.health",
     "WMO-indicatie"),
    ("Dear Sir,\n\nThe genetic test showed that you have a BRCA2 mutation.", "special.health", "BRCA2"),
    ("voornaam;achternaam;zorgbehoefte\nSterre;Bakker;dyslexie\n", "special.health", "dyslexie"),
    ("Zijn dyslexieverklaring zit in het leerlingdossier.", "special.health", "dyslexieverklaring"),
    ("Naam: Eveline van der Berg\nDiagnose: fibromyalgie", "special.health", "fibromyalgie"),
    ('{"voornaam": "Pieter", "aandoening": "diabetes type 2"}', "special.health", "diabetes type 2"),
    ("Zaaknummer 2024-118: aanvrager heeft chronische rugklachten.", "special.health", "rugklachten"),
    ("Haar dochter heeft autismespectrumstoornis.", "special.health", "autismespectrumstoornis"),
    # school care notes, sick leave, dental notes, genetic results
    ("Leerling Sem is zorgleerling.", "special.health", "zorgleerling"),
    ("Medewerker belde de arbo-arts.", "special.health", "arbo-arts"),
    ("Patiënt: Bakker. Wortelkanaalbehandeling element 36.", "special.health", "Wortelkanaalbehandeling"),
    ("Employee Jennifer is in physiotherapy after surgery.", "special.health", "physiotherapy"),
    # religion: holidays, diet, dress
    ("Medewerker vraagt vrij voor het Suikerfeest.", "special.religion", "Suikerfeest"),
    ("Cliënt wil op religieuze gronden geen bloedtransfusie.", "special.religion", "religieuze gronden"),
    ("Kandidaat draagt een hoofddoek.", "special.religion", "hoofddoek"),
    ("My colleague asked for kosher meals at the offsite.", "special.religion", "kosher meals"),
    # ethnicity by origin and phrasing
    ("Klant Yara, van Somalische afkomst, woont sinds 2019 in Tilburg.", "special.ethnicity",
     "Somalische afkomst"),
    ("Applicant William is of Nigerian descent.", "special.ethnicity", "of Nigerian descent"),
    # union dues, political activity
    ("Personeelsnummer 4471: inhouding vakbondscontributie.", "special.trade_union", "vakbondscontributie"),
    ("His union dues are deducted monthly.", "special.trade_union", "union dues"),
    # biometric enrolment
    ("Vingerafdrukscan van medewerker Kees vastgelegd bij indiensttreding.", "special.biometric",
     "Vingerafdrukscan"),
    ("Fingerprint template enrolled for employee 0042.", "special.biometric", "Fingerprint template"),
    # criminal data
    ("Hij is aangehouden wegens winkeldiefstal.", "special.criminal", "aangehouden wegens"),
    ("Kandidaat: VOG afgewezen na voornemen tot weigering.", "special.criminal", "VOG afgewezen"),
    ("Her previous convictions were disclosed.", "special.criminal", "previous convictions"),
    # sexual orientation
    ("Collega Teun is vorig jaar uit de kast gekomen.", "special.sexual_orientation", "uit de kast"),
]

FALSE = [
    # job ads, policies, statistics, leaflets
    "Vacature: medewerker GGZ (m/v). Ervaring met dementie en autisme is een pré.",
    "We are looking for a nurse; the employee will support patients with diabetes.",
    "In onze privacyverklaring staat hoe de werknemer zijn ziekmelding doorgeeft.",
    "Art. 9 AVG: de werkgever registreert de religie van de werknemer niet.",
    "12% of patients with diabetes reported depression.",
    "De gemiddelde werknemer is 8 dagen per jaar ziekgemeld.",
    "Lees goed de bijsluiter voordat u metformine gaat gebruiken. Gebruik het niet als u zwanger bent.",
    "If you are pregnant, tell your doctor before taking this medication.",
    "Er zijn mensen met dyslexie die extra tijd krijgen.",
    # API fields, schemas, docstrings, product names
    "diagnosis_code = patient.diagnosis",
    '{"name": "religion", "type": "string", "enum": ["Jewish", "Muslim"]}',
    'Naam: Religie\nType: keuzelijst',
    "product;name;indication\n1;Metformine;diabetes type 2\n",
    "The SSH host fingerprint of the server changed.",
    "Cisco Biometric Template Manager release notes",
    "The HTTP client retries when the tenant's biometric service is down.",
    "Restriction of processing (beperking van de verwerking) applies to the employee's file.",
    "The payment was held; de betaling is aangehouden tot 1 mei.",
    "Huntington Beach office hours: 9-5.",
]


@pytest.mark.parametrize(("text", "kind", "value"), TRUE, ids=[c[2] for c in TRUE])
def test_special_category_about_a_person_is_an_alert(text: str, kind: str, value: str) -> None:
    assert (kind, value) in _special(text)


@pytest.mark.parametrize("text", FALSE, ids=[c[:30] for c in FALSE])
def test_special_category_terms_about_nobody_are_not_alerts(text: str) -> None:
    assert _special(text) == []


def test_one_finding_per_statement_the_specific_term() -> None:
    assert _special("Patiënt Jan is gediagnosticeerd met epilepsie en krijgt medicatie.") == [
        ("special.health", "epilepsie")]


def test_a_biometric_product_or_login_is_not_biometric_data_a_template_is() -> None:
    assert _special("# my helper for biometric login on the kiosk") == []
    assert _special("Biometrische kenmerken van medewerker Kees zijn opgeslagen.") == [
        ("special.biometric", "Biometrische kenmerken")]


def test_the_trie_pattern_matches_what_the_flat_alternation_matches() -> None:
    from services.detection.detector import compile_words
    from services.detection.detectors.special import VOCABULARY, compile_terms
    for terms in VOCABULARY.values():
        text = " | ".join(terms) + " xdiabetes diabetesx Diabetes Type 2, ZIEKGEMELD; of Moroccan descent."
        flat, trie = compile_words(terms), compile_terms(terms)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


# --- round 3: medicines, complaints, referrals, forms and records, titles and initials (issue 15) ---
# written from ICD-10/ICPC-2 chapter names, commonly dispensed generic medicine names, the AP's and EDPB's
# category descriptions and the ways intake forms, HR files and referrals are laid out

MORE_TRUE = [
    ("Dhr. De Vries is sinds 3 maart arbeidsongeschikt.", "special.health", "arbeidsongeschikt"),
    ("De heer Yilmaz heeft een hernia en is voor 50% arbeidsongeschikt.", "special.health", "hernia"),
    ("Mw. Bakker slikt omeprazol en simvastatine.", "special.health", "omeprazol"),  # one statement
    ("Dhr. J.H. de Wit gebruikt levetiracetam.", "special.health", "levetiracetam"),
    ("Werknemer P. Smit is per 12 februari ziek uit de running.", "special.health", "ziek uit de running"),
    ("Patiënt is opgenomen met een longontsteking.", "special.health", "longontsteking"),
    ("Hij gebruikt dagelijks ibuprofen voor zijn knieklachten.", "special.health", "knieklachten"),
    ("Zij is doorverwezen naar de neuroloog.", "special.health", "doorverwezen naar de neuroloog"),
    ("Sarah has been referred to a physiotherapist for her shoulder.", "special.health",
     "referred to a physiotherapist"),
    ("She is under treatment for panic attacks.", "special.health", "panic attacks"),
    ("Ik ben sinds vorige week ziek thuis.", "special.health", "ziek thuis"),
    ("Het kind heeft een verstandelijke beperking.", "special.health", "verstandelijke beperking"),
    ("Naam: K. Hendriks\nAfdeling: Logistiek\nFunctie: magazijnmedewerker\nDienstverband: vast\n"
     "Startdatum: 1 maart\nLeidinggevende: afdelingshoofd\nDiagnose: colitis ulcerosa", "special.health",
     "colitis ulcerosa"),
    ("Candidate: Oliver Grant\nDepartment: Finance, Accounts Payable and Receivable, second floor\n"
     "Start date: 1 March\nEthnicity: White British", "special.ethnicity", "White British"),
    ("Naam: Eva Jansen\nAfdeling: Inkoop en facilitaire zaken, locatie Utrecht-Noord, derde verdieping\n"
     "Politieke voorkeur: D66", "special.political", "Politieke voorkeur"),
    ("Meneer Kaya is lid van de Rooms-Katholieke kerk.", "special.religion", "Rooms-Katholieke"),
    ("Zij is vorig jaar bekeerd tot het boeddhisme.", "special.religion", "bekeerd tot"),
    ("Medewerkster Samira is Turks-Nederlandse.", "special.ethnicity", "Turks-Nederlandse"),
    ("She is a member of Unison and the union rep for her team.", "special.trade_union", "member of Unison"),
    ("The candidate has an unspent conviction.", "special.criminal", "unspent conviction"),
    ("Verdachte is in verzekering gesteld.", "special.criminal", "in verzekering gesteld"),
    ("The employee's facial geometry is stored, says Anna.", "special.biometric", "facial geometry"),
]

MORE_FALSE = [
    # a pharmacy product catalogue
    "Paracetamol 500 mg, 20 tabletten - 1,99\nOmeprazol 20 mg maagzuurremmer, 14 capsules\n"
    "Ibuprofen 400 mg - bij knieklachten en rugklachten",
    # a generic HR policy about sick leave
    "Verzuimbeleid: een werknemer die ziek is, meldt zich voor 9:00 uur ziek bij zijn leidinggevende. "
    "Bij langdurig verzuim start het re-integratietraject en wordt de bedrijfsarts ingeschakeld. "
    "De werknemer is arbeidsongeschikt zolang de bedrijfsarts dat vaststelt.",
    "Sickness absence policy: an employee who is off sick must call their manager before 9am.",
    # a health-insurance brochure
    "Met de zorgverzekering bent u verzekerd voor fysiotherapie, ggz-behandeling en medicijnen zoals "
    "insuline. Bent u zwanger? Dan vergoeden wij de kraamzorg.",
    "Our health plan covers treatment for diabetes, cancer and depression; pregnancy care is included.",
    # a church's opening hours
    "De Sint-Janskerk is open op zondag van 10:00 tot 12:00. Kerkdienst om 10:30. Iedereen is welkom.",
    "St. Mary's Church: Sunday service at 10am. Friday prayers at the mosque start at 1pm.",
    # a news article about a political party
    "De SP heeft in de peiling twee zetels gewonnen. Partijleider Dijk zei dat de partij tevreden is.",
    # an API doc with a religion field
    "| Field | Type | Description |\n| religion | string | The user's religion |\n"
    "| ethnicity | string | Ethnicity of the person |",
    "GET /api/v1/users/{id} returns name, email, religion and ethnicity fields.",
    # a blank form template, a generic referral leaflet, initials that label a thing
    "Naam: ____________\nDiagnose: ____________\nMedicatie: ____________",
    "Een patiënt met rugklachten wordt doorverwezen naar de fysiotherapeut als de klachten blijven.",
    "Vaccinate against hepatitis B. The vaccine is given in three doses.",
    "Statistics: every employee with chronic pain loses 9 working days a year.",
]


@pytest.mark.parametrize(("text", "kind", "value"), MORE_TRUE, ids=[c[2] for c in MORE_TRUE])
def test_more_ways_of_describing_a_person_are_alerts(text: str, kind: str, value: str) -> None:
    assert (kind, value) in _special(text)


@pytest.mark.parametrize("text", MORE_FALSE, ids=[c[:30] for c in MORE_FALSE])
def test_catalogues_policies_brochures_and_schemas_are_not_alerts(text: str) -> None:
    assert _special(text) == []


# a file about one person (a record label heads it), possessives, adjectives; topics and code are not
RECORD_TRUE = [
    ("Patiënt: Bakker, J.\nGeboortedatum: 01-02-1960\nHuisarts: Dr. Peters\n\n"
     "S: sinds drie dagen hoofdpijn en misselijkheid.\nO: RR 140/90, neurologisch geen afwijkingen.\n"
     "E: migraine zonder aura.", "special.health", "migraine"),
    ("Name: Robert Brown\nDepartment: Finance\n\nNotes from the return-to-work meeting: the chemotherapy "
     "finished in May and fatigue remains.", "special.health", "chemotherapy"),
    ("The employee's sick leave started on 3 March.", "special.health", "sick leave"),
    ("He's diabetic and needs regular breaks.", "special.health", "diabetic"),
]

RECORD_FALSE = [
    "Zij schreef een boek over de geschiedenis van de islam.",
    "He wrote about prison reform and criminal justice.",
    "Our patients' rights policy explains how we handle a diagnosis.",
    "    # Observation fingerprints this entry's request covers; the client sends them.",
    "    one is refused rather than converted to some time zone.",
    "The child process inherits the tenant's kind of session; this kind of depression in prices is rare.",
]


@pytest.mark.parametrize(("text", "kind", "value"), RECORD_TRUE, ids=[c[2] for c in RECORD_TRUE])
def test_a_record_about_one_person_possessives_and_adjectives(text: str, kind: str, value: str) -> None:
    assert (kind, value) in _special(text)


@pytest.mark.parametrize("text", RECORD_FALSE, ids=[c[:30] for c in RECORD_FALSE])
def test_topics_and_code_words_are_not_a_person(text: str) -> None:
    assert _special(text) == []
