"""Special categories, round 4: one finding per statement, more wording, a person's record as context.

Every case is written here from public descriptions (the AP's and EDPB's descriptions of the categories,
the NHG and LRP field names, ISO/IEC 19794's record formats, the Kiesraad's register of party names) and
from the kinds of text that only mention the same words about nobody; none is copied from a corpus.
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


# one statement about a person is one finding, however many terms of its category it uses
ONE_STATEMENT = [
    ("Mevrouw Bakker is na de chemotherapie voor borstkanker erg moe.", "special.health"),
    ("Dhr. Kok zit in detentie na een veroordeling voor heling.", "special.criminal"),
    ("Last year Tom came out as gay to his team.", "special.sexual_orientation"),
    ("Zij is onder behandeling bij de psychiater voor een depressie.", "special.health"),
]


@pytest.mark.parametrize(("text", "kind"), ONE_STATEMENT, ids=[c[0][:30] for c in ONE_STATEMENT])
def test_two_terms_of_one_statement_are_one_finding(text: str, kind: str) -> None:
    assert [k for k, _ in _special(text)] == [kind]


# coordinated items and separate sentences are separate facts
SEPARATE = [
    ("Hij is opgenomen geweest met een psychose en gebruikt sindsdien clozapine.",
     [("special.health", "psychose"), ("special.health", "clozapine")]),
    ("Medicatie van patiënt Jan: metoprolol, apixaban.",
     [("special.health", "metoprolol"), ("special.health", "apixaban")]),
    ("Mevrouw Smit heeft astma. Zij gebruikt salbutamol.",
     [("special.health", "astma"), ("special.health", "salbutamol")]),
]


@pytest.mark.parametrize(("text", "expected"), SEPARATE, ids=[c[0][:30] for c in SEPARATE])
def test_listed_items_and_sentences_stay_separate(text: str, expected: list[tuple[str, str]]) -> None:
    assert _special(text) == expected


def _iso_record(identifier: bytes, body: bytes) -> str:
    """A base64 record in the ISO/IEC 19794 layout: format identifier, version, then made-up bytes."""
    import base64

    return base64.b64encode(identifier + b" 20\x00" + body).decode()


def test_an_iso_19794_template_is_biometric_data_wherever_it_stands() -> None:
    body = bytes(range(7, 90))
    for identifier in (b"FMR\x00", b"FAC\x00", b"IIR\x00"):
        row = f"badge;template\nB101;{_iso_record(identifier, body)}\n"
        assert [f.type for f in scan_text(row) if f.type.startswith("special.")] == ["special.biometric"]
    note = "* template of guest 12: `face_embedding=[0.0213, -0.1187, 0.0932, 0.2411, -0.0554]`"
    assert _special(note) == [
        ("special.biometric", "face_embedding=[0.0213, -0.1187, 0.0932, 0.2411, -0.0554")]


def test_other_base64_a_format_constant_and_text_embeddings_are_not_templates() -> None:
    import base64

    other = base64.b64encode(b"PNG image data that is not a biometric record at all, " * 2).decode()
    assert _special(f"logo = '{other}'") == []
    assert _special('FMR_MAGIC = b"FMR\\x00"  # ISO/IEC 19794-2 finger minutiae record') == []
    assert _special('{"embedding": [0.1, 0.2, 0.3, 0.4, 0.5], "model": "text-embedding-3-small"}') == []


# more wording of the same classes, said of a person (made up here from the classes' public sources)
WORDING_TRUE = [
    ("Mevrouw Jansen heeft een knieprothese en loopt slecht.", "special.health", "knieprothese"),
    ("Dhr. Visser is na zijn hartoperatie weer thuis.", "special.health", "hartoperatie"),
    ("Letsel: de chauffeur Kees heeft een gebroken enkel.", "special.health", "gebroken enkel"),
    ("Leerling Sem heeft een pinda-allergie (EpiPen in de tas).", "special.health", "pinda-allergie"),
    ("Ik ben astmapatiënt en kan niet tegen rook.", "special.health", "astmapatiënt"),
    ("Patiënt heeft hemofilie A.", "special.health", "hemofilie"),
    ("Zij wil belijdenis doen met Pasen.", "special.religion", "belijdenis doen"),
    ("Patiënt is Jehova’s getuige en weigert bloedtransfusie.", "special.religion", "Jehova"),
    ("Meneer Bakker en zijn partner: een homostel op huwelijksreis.", "special.sexual_orientation",
     "homostel"),
    ("Hij voelde zich achtergesteld vanwege zijn Surinaams-Hindoestaanse afkomst.", "special.ethnicity",
     "Surinaams-Hindoestaanse"),
    ("I object to the remark about my Moluccan background.", "special.ethnicity", "Moluccan background"),
    ("Notitie bij Anna: raadslid voor het CDA.", "special.political", "raadslid voor het CDA"),
    ("Ik ben lid geworden van de SP.", "special.political", "lid geworden van de SP"),
    ("Jan Smit, PvdA-sympathisant, helpt bij het flyeren.", "special.political", "PvdA-sympathisant"),
    ("De gast werd door de politie aangehouden voor vernieling.", "special.criminal", "aangehouden voor"),
    ("Milan Kok (planner)\nHij is hindoe.", "special.religion", "hindoe"),
]

WORDING_FALSE = [
    # the same words describing no one: a clinic, a church, a party, a schema
    "INTAKEFORMULIER – Fysiotherapie Centrum West, Dorpsstraat 1",
    "Stichting Reclassering Nederland zoekt vrijwilligers.",
    "Het verkiezingsprogramma van de PvdA staat online.",
    "De kerk is op zondag open; na de dienst is er koffie. Koosjer eten is op aanvraag.",
    "Onze fysiotherapeuten behandelen frozen shoulder, nekpijn en rugpijn.",
    "Allergenen (EU 1169/2011): pinda-allergie en notenallergie staan op de menukaart aangegeven.",
    '{"properties": {"allergie": {"type": "string"}, "religie": {"type": "string"}}}',
    "Religie: geen\nDiagnose: n.v.t.",
]


@pytest.mark.parametrize(("text", "kind", "value"), WORDING_TRUE, ids=[c[2] for c in WORDING_TRUE])
def test_more_wording_said_of_a_person_is_found(text: str, kind: str, value: str) -> None:
    assert (kind, value) in _special(text)


@pytest.mark.parametrize("text", WORDING_FALSE, ids=[c[:30] for c in WORDING_FALSE])
def test_the_same_wording_about_no_one_stays_quiet(text: str) -> None:
    assert _special(text) == []


def test_a_fhir_clinical_resource_about_a_patient_is_health_data() -> None:
    bundle = ('{"entry": [{"resource": {"resourceType": "AllergyIntolerance",\n'
              '  "patient": {"reference": "Patient/p1"},\n  "code": {"text": "pinda-allergie"}}}]}')
    assert _special(bundle) == [("special.health", "pinda-allergie")]


def test_a_fhir_definition_without_a_subject_or_a_value_set_is_not() -> None:
    value_set = ('{"resourceType": "ValueSet", "compose": {"include": [{"concept": [\n'
                 '  {"code": "E11", "display": "diabetes type 2"}]}]}}')
    definition = '{"resourceType": "Condition", "code": {"text": "astma"}}'
    assert _special(value_set) == []
    assert _special(definition) == []


def test_an_hl7_v2_allergy_or_diagnosis_segment_about_a_patient_is_health_data() -> None:
    message = ("MSH|^~\\&|APP|FAC|LAB|FAC|20260101120000||ADT^A04|1|P|2.5\n"
               "PID|1||123^^^NLMINBIZA||Jansen^Anna||19800101|F\nAL1|1|DA|^Latexallergie\n")
    assert [t for t, _ in _special(message)] == ["special.health"]


def test_hl7_segments_without_a_patient_and_documentation_of_segments_are_not() -> None:
    assert _special("MSH|^~\\&|APP|FAC|LAB|FAC|20260101||MFN^M01|1|P|2.5\nDG1|1||E11^Diabetes^ICD10\n") == []
    assert _special("The AL1 segment carries allergy information; DG1 carries diagnoses.") == []


def test_a_note_about_a_person_beside_a_job_ad_paragraph_is_still_about_that_person() -> None:
    note = ("Verslag gesprek met de medewerker: de rugklachten zijn erger geworden.\n\n"
            "Vacature: wij zoeken een collega (m/v) voor de inpakafdeling.")
    assert _special(note) == [("special.health", "rugklachten")]
    ad = "Vacature: wij zoeken een collega (m/v). De medewerker heeft geen rugklachten bij tilwerk."
    assert _special(ad) == []


def test_hearing_and_teaching_aids_are_not_the_disease() -> None:
    assert _special("Please note that Tom uses hearing aids and visual aids at work.") == []
    assert _special("Tom is hiv-positief en heeft aids.") != []


def test_a_category_said_of_a_group_is_a_topic() -> None:
    assert _special("Jan de Vries bespreekt de politieke voorkeur van kiezers in de regio.") == []
    assert _special("Mevrouw Smit onderzoekt diabetes onder jongeren in Utrecht.") == []
    assert _special("Mevrouw Smit heeft diabetes.") == [("special.health", "diabetes")]


def test_a_persons_lab_values_are_health_data() -> None:
    assert _special("Ik wil weten of mijn schildklierwaarden goed zijn.") == [
        ("special.health", "schildklierwaarden")]


def test_an_observance_beside_the_stated_belief_is_one_fact() -> None:
    assert _special("Tijdens de ramadan is Niels vaak moe; het gezin is moslim.") == [
        ("special.religion", "moslim")]
    assert _special("Niels viert de ramadan met zijn gezin.") == [("special.religion", "ramadan")]
