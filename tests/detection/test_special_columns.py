"""Special-category columns of exports and fixtures about people: a `diagnose`, `religie` or `vakbond` column
beside a person's name or personal number holds that person's special data in every stated cell, however
short ("hiv", "islam", "ja"); the same column names in a product list or a code table describe nobody.

Written from the shapes HR, school and care systems export (a header row, one person per row) and the
categories the AP and the EDPB list; every value is made up here.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

from tests.detection.special_reading import scan_file as scan
from tests.detection.special_reading import special_columns as special


def test_special_columns_of_a_person_table_are_found_once_with_short_values(tmp_path: Path) -> None:
    export = tmp_path / "verzuim.csv"
    export.write_text("personeelsnummer;voornaam;achternaam;afdeling;verzuimreden;religie;vakbond\n"
                      "1001;Anouk;Visser;Inkoop;burn-out;islam;ja\n"
                      "1002;Daan;de Boer;Logistiek;;geen;nee\n"
                      "1003;Sanne;Mulder;HR;hiv;joods;\n", encoding="utf-8")
    assert special(scan(export)) == [("special.health", "verzuimreden", [2, 4]),
                                      ("special.religion", "religie", [2, 4]),
                                      ("special.trade_union", "vakbond", [2])]


def test_a_json_fixture_of_people_with_an_ethnicity_key(tmp_path: Path) -> None:
    fixture = tmp_path / "clients.json"
    fixture.write_text('[{"voornaam": "Eva", "achternaam": "Smit", "etniciteit": "Turks-Nederlands"},\n'
                       ' {"voornaam": "Bram", "achternaam": "Kok", "etniciteit": "onbekend"}]\n',
                       encoding="utf-8")
    assert special(scan(fixture)) == [("special.ethnicity", "[].etniciteit", [1])]


def test_the_same_column_names_in_a_product_list_or_code_table_are_not_special(tmp_path: Path) -> None:
    products = tmp_path / "products.csv"
    products.write_text("sku;name;diagnose;medicatie\n1;Bloedsuikermeter;diabetes;metformine\n"
                        "2;Inhalator;astma;salbutamol\n", encoding="utf-8")
    codes = tmp_path / "religions.json"
    codes.write_text('[{"code": "RK", "religie": "rooms-katholiek"}, {"code": "IS", "religie": "islam"}]\n',
                     encoding="utf-8")
    assert special(scan(products)) == []
    assert special(scan(codes)) == []


def test_a_header_row_is_not_a_statement_about_a_person(tmp_path: Path) -> None:
    header_only = tmp_path / "template.csv"
    header_only.write_text("personeelsnummer;voornaam;religie;diagnose\n", encoding="utf-8")
    assert special(scan(header_only)) == []


def test_problem_list_church_status_orientation_and_suspicion_columns(tmp_path: Path) -> None:
    # shapes of a GP system export (NHG probleemlijst), a church member register (LRP 'kerkelijke staat'),
    # a survey with a sexual-orientation question and a law firm's list of criminal cases
    his = tmp_path / "his_export.csv"
    his.write_text("patientnr;achternaam;voornaam;geboortedatum;probleemlijst\n"
                   "P1;Bakker;Anna;01-02-1960;astma\nP2;Smit;Joris;03-04-1970;\n"
                   "P3;Kok;Eva;05-06-1980;jicht\n",
                   encoding="utf-8")
    members = tmp_path / "leden.csv"
    members.write_text("naam,geboortedatum,kerkelijke staat\nAnna Bakker,01-02-1960,belijdend lid\n"
                       "Joris Smit,03-04-1970,dooplid\n", encoding="utf-8")
    survey = tmp_path / "survey.csv"
    survey.write_text("respondent,geslacht,seksuele_orientatie\nr1,v,biseksueel\nr2,m,zeg ik liever niet\n",
                      encoding="utf-8")
    cases = tmp_path / "zaken.csv"
    cases.write_text("dossier,client,geboortedatum,verdenking\n2026.1,Anna Bakker,01-02-1960,heling\n",
                     encoding="utf-8")
    assert special(scan(his)) == [("special.health", "probleemlijst", [2, 4])]
    assert special(scan(members)) == [("special.religion", "kerkelijke staat", [2, 3])]
    assert special(scan(survey)) == [("special.sexual_orientation", "seksuele_orientatie", [2])]
    assert special(scan(cases)) == [("special.criminal", "verdenking", [2])]


def test_the_same_names_in_a_code_list_describe_nobody(tmp_path: Path) -> None:
    statuses = tmp_path / "statuses.csv"
    statuses.write_text("code;kerkelijke_staat;omschrijving\nBL;belijdend lid;lid na belijdenis\n"
                        "DL;dooplid;gedoopt, geen belijdenis\n", encoding="utf-8")
    offences = tmp_path / "feitcodes.csv"
    offences.write_text("feitcode;offence;boete\nR315;rijden tijdens ontzegging;0\n"
                        "R398;doorrijden na ongeval;0\n",
                        encoding="utf-8")
    assert special(scan(statuses)) == []
    assert special(scan(offences)) == []


def test_statements_in_a_free_text_column_of_a_person_table_are_one_finding(tmp_path: Path) -> None:
    # a hotel's reservations (guest column), a staffing agency's candidates and a case list: the notes say
    # something of the row's person, however the column is called
    guests = tmp_path / "reserveringen.csv"
    guests.write_text("reservering;gast;telefoon;bijzonderheden\nR1;Anna Bakker;0612345678;zeezicht graag\n"
                      "R2;Joris Smit;0687654321;glutenvrij ivm coeliakie\n"
                      "R3;Eva Kok;0611122233;laat inchecken\n"
                      "R4;Sem Visser;0644455566;diabetes, koelkast voor insuline\n", encoding="utf-8")
    candidates = tmp_path / "kandidaten.csv"
    candidates.write_text("kandidaat,geboortedatum,notities\nAnna Bakker,01-02-1990,VOG geweigerd wegens "
                          "veroordeling\nJoris Smit,03-04-1985,beschikbaar vanaf maart\n", encoding="utf-8")
    assert special(scan(guests)) == [("special.health", "bijzonderheden", [3, 5])]
    assert special(scan(candidates)) == [("special.criminal", "notities", [2])]


def test_organisation_lists_job_titles_and_empty_answers_are_not_statements(tmp_path: Path) -> None:
    clinics = tmp_path / "praktijken.csv"
    clinics.write_text("naam;adres;woonplaats;telefoon;specialisme\n"
                       "Praktijk Noord;Dorpsstraat 1;Utrecht;0301234567;diabetes en hart- en vaatziekten\n"
                       "Centrum Zuid;Kerkweg 2;Houten;0307654321;astma en COPD\n", encoding="utf-8")
    staff = tmp_path / "medewerkers.csv"
    staff.write_text("voornaam;achternaam;functie\nAnna;Bakker;psychiater\nJoris;Smit;bedrijfsarts\n",
                     encoding="utf-8")
    answers = tmp_path / "antwoorden.csv"
    answers.write_text("respondent,geslacht,opmerking\nr1,v,religie: geen\nr2,m,diagnose: n.v.t.\n",
                       encoding="utf-8")
    assert special(scan(clinics)) == []
    assert special(scan(staff)) == []
    assert special(scan(answers)) == []


def test_the_care_given_in_a_table_of_patients_is_health_data(tmp_path: Path) -> None:
    # a dental or physiotherapy agenda: the treatment and the reason of each patient's visit (Recital 35)
    agenda = tmp_path / "agenda.csv"
    agenda.write_text("datum;tijd;patient;telefoon;behandeling\n"
                      "01-12-2026;09:00;Anna Bakker;0612345678;kroon 36\n"
                      "01-12-2026;09:30;Joris Smit;0687654321;\n", encoding="utf-8")
    assert special(scan(agenda)) == [("special.health", "behandeling", [2])]


def test_treatment_and_reason_columns_outside_a_patient_table_are_not_health(tmp_path: Path) -> None:
    complaints = tmp_path / "klachten.csv"
    complaints.write_text("klantnummer;naam;telefoon;behandeling;reden\n"
                          "K1;Anna Bakker;0612345678;afgerond;levering te laat\n", encoding="utf-8")
    experiment = tmp_path / "ab_test.csv"
    experiment.write_text("respondent,geslacht,treatment\nr1,v,variant B\nr2,m,control\n", encoding="utf-8")
    assert special(scan(complaints)) == []
    assert special(scan(experiment)) == []


def test_a_fhir_bundle_file_names_its_patients_conditions(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.json"
    bundle.write_text('{\n "resourceType": "Bundle",\n "entry": [\n  {\n   "resource": {\n'
                      '    "resourceType": "Condition",\n    "subject": {\n'
                      '     "reference": "urn:uuid:0b1c"\n    },\n    "code": {\n'
                      '     "text": "astma"\n    }\n   }\n  }\n ]\n}\n', encoding="utf-8")
    assert special(scan(bundle)) == [("special.health", None, 11)]


def test_a_licence_medical_code_in_a_drivers_list_is_health_data(tmp_path: Path) -> None:
    drivers = tmp_path / "chauffeurs.csv"
    drivers.write_text("naam;geboortedatum;opmerking\nAnna Bakker;01-02-1960;code 01: brilverplichting\n"
                       "Joris Smit;03-04-1970;nachtdienst\n", encoding="utf-8")
    assert special(scan(drivers)) == [("special.health", "opmerking", [2])]


def test_a_voiceprint_key_holds_biometric_data_and_a_setting_beside_it_does_not(tmp_path: Path) -> None:
    log = tmp_path / "api.jsonl"
    alphabet = string.ascii_letters + string.digits + "+/"
    draw = random.Random("voiceprint")
    template, other = ("".join(draw.choice(alphabet) for _ in range(128)) for _ in range(2))
    rows = [("a.jansen@kpnmail.nl", "84.80.17.203", template), ("p.devries@ziggo.nl", "94.210.33.61", other)]
    line = '{{"event": "voice_login", "user": "{}", "ip": "{}", "voiceprint": "{}", "ok": true}}\n'
    log.write_text("".join(line.format(*row) for row in rows), encoding="utf-8")
    settings = tmp_path / "features.json"
    settings.write_text('{"voiceprint_login_enabled": true, "voiceprint_min_seconds": 3}\n', encoding="utf-8")

    assert [kind for kind, _, _ in special(scan(log))] == ["special.biometric"]
    assert special(scan(settings)) == []


def test_a_role_word_beside_a_type_name_keeps_the_type(tmp_path: Path) -> None:
    """patient_bsn is a BSN column of a patient table: the role says whose, the type what."""
    numbers = ["725763863", "162275869", "192285142"]  # pass the 11-proof; made up here
    export = tmp_path / "patienten.csv"
    export.write_text("naam;patient_bsn;medewerker_email;behandeling\n"
                      f"Jan de Vries;{numbers[0]};j.smit@kliniek-west.nl;fysiotherapie knie\n"
                      f"Els Bakker;{numbers[1]};a.mol@kliniek-west.nl;controle na operatie\n"
                      f"Piet Smit;{numbers[2]};j.smit@kliniek-west.nl;revalidatie schouder\n",
                      encoding="utf-8")
    kinds = {(f.type, f.location.get("column")) for f in scan(export) if f.confidence >= 0.5}

    assert ("pii.bsn", "patient_bsn") in kinds
    assert ("pii.email", "medewerker_email") in kinds
    assert ("special.health", "behandeling") in kinds  # a care column of a table of patients
