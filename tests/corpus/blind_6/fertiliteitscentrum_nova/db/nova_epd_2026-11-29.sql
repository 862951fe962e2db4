--
-- PostgreSQL database dump
--

-- Dumped from database version 16.4

SET statement_timeout = 0;
SET client_encoding = 'UTF8';

CREATE TABLE public.patienten (
    id integer NOT NULL,
    naam text,
    geboortedatum date,
    bsn character(9),
    email text,
    telefoon text,
    postcode text,
    relatievorm text,
    levensbeschouwing text
);

INSERT INTO public.patienten VALUES (301, 'Elif Scholten', '1984-09-09', '624191199', 'escholten@hotmail.com', '06-34950481', '8664 LM', 'duomoeders (twee vrouwen)', 'rooms-katholiek');
INSERT INTO public.patienten VALUES (302, 'Ineke Haverkamp', '1993-02-06', '291642159', 'ihaverkamp@xs4all.nl', '06 18 50 88 75', '7953 RN', 'getrouwd', 'islamitisch');
INSERT INTO public.patienten VALUES (303, 'Annie Vos', '1985-03-19', '234142972', 'annie_vos@xs4all.nl', '+31 6 24331651', '7717 WH', 'alleenstaande moeder', 'geen');
INSERT INTO public.patienten VALUES (304, 'Joost Haverkamp', '1990-10-12', '417500270', 'jhaverkamp@icloud.com', '+31 (0)6 5495 6645', '3289 KN', 'homostel, draagmoederschap buitenland', 'joods-orthodox');
INSERT INTO public.patienten VALUES (305, 'Grietje Wijnberg', '1996-12-22', '352227904', 'grietje_wijnberg@xs4all.nl', '0639491274', '2267 ZJ', 'samenwonend', NULL);
INSERT INTO public.patienten VALUES (306, 'Rutger Kaya', '1994-05-17', '360140166', 'rutger_kaya@live.nl', '0031 6 88668615', '6835 ZW', 'lesbisch paar, bekende donor', 'hindoeïstisch');
INSERT INTO public.patienten VALUES (307, 'Tineke Jansen', '1991-06-07', '327071321', 'tineke.jansen@xs4all.nl', '+31635093039', '2648 FD', 'getrouwd', 'evangelisch');
INSERT INTO public.patienten VALUES (308, 'Amira Meijer', '1987-03-01', '571913404', 'ameijer@xs4all.nl', '06 - 8358 5147', '6385 RH', 'samenwonend', 'geen');
INSERT INTO public.patienten VALUES (309, 'Noor Kowalski', '1992-04-23', '631828771', 'noorkowalski92@ziggo.nl', '(06) 14812178', '6981 HK', 'bi-vrouw met vrouwelijke partner', 'protestants (PKN)');
INSERT INTO public.patienten VALUES (310, 'Ilse Scholten', '1986-01-10', '369645443', 'ilsescholten2@gmail.com', '+31 6 47 618 164', '6683 FZ', 'getrouwd', NULL);
INSERT INTO public.patienten VALUES (311, 'Lotte Hoffmann', '1987-03-27', '734292399', 'lottehoffmann35@planet.nl', '06-47991138', '6139 RP', 'alleenstaand', 'islamitisch (sjiitisch)');
INSERT INTO public.patienten VALUES (312, 'Anouk Wijnberg', '1995-07-03', '728469339', 'anoukwijnberg14@gmail.com', '06 15 23 70 07', '5300 XN', 'geregistreerd partnerschap', 'boeddhistisch');

CREATE TABLE public.behandelingen (
    patient_id integer,
    diagnose text,
    medicatie text,
    opmerking text
);

INSERT INTO public.behandelingen VALUES (301, 'PCOS, anovulatie', 'Ovitrelle', 'eerste consult online');
INSERT INTO public.behandelingen VALUES (302, 'endometriose graad III', 'letrozol 2,5 mg', 'partner veroordeeld voor mishandeling; Raad voor de Kinderbescherming ingelicht');
INSERT INTO public.behandelingen VALUES (303, 'azoospermie bij partner (TESE gepland)', 'Cetrotide', 'patiënte is van Marokkaanse afkomst, wenst donor met dezelfde achtergrond');
INSERT INTO public.behandelingen VALUES (304, 'verminderde ovariële reserve, AMH 0,4', 'Menopur 225 IE', '');
INSERT INTO public.behandelingen VALUES (305, 'tubapathologie na chlamydia', 'progesteron vaginaal', 'rabbijn moet toestemming geven voor ICSI');
INSERT INTO public.behandelingen VALUES (306, 'herhaalde miskramen (3x)', 'Gonal-f 150 IE', 'wachtlijst, verwacht jan 2027');
INSERT INTO public.behandelingen VALUES (307, 'onbegrepen subfertiliteit, IUI-traject', 'Gonal-f 150 IE', 'Ghanese afkomst, sikkelcelscreening partner');
INSERT INTO public.behandelingen VALUES (308, 'oligoasthenoteratozoöspermie, ICSI', 'letrozol 2,5 mg', '');
INSERT INTO public.behandelingen VALUES (309, 'vroege menopauze (POI)', 'Menopur 225 IE', 'patiënte is Tweede Kamerlid (D66), alleen bellen op mobiel');
INSERT INTO public.behandelingen VALUES (310, 'Turner-mozaïek, eiceldonatie', 'Ovitrelle', 'verzekerd via buitenlandse polis');
INSERT INTO public.behandelingen VALUES (311, 'hydrosalpinx links, salpingectomie', 'Cetrotide', 'wil geen embryo's invriezen vanwege katholiek geloof');
INSERT INTO public.behandelingen VALUES (312, 'hiv-positieve partner, spermawassing', 'progesteron vaginaal', '');

CREATE TABLE public.donoren (
    donor_code text,
    geboortejaar integer,
    etniciteit text,
    oogkleur text,
    opleiding text
);

INSERT INTO public.donoren VALUES ('D-7100', 1998, 'Nederlands', 'groen', 'hbo');
INSERT INTO public.donoren VALUES ('D-7107', 1992, 'Marokkaans-Nederlands', 'groen', 'hbo');
INSERT INTO public.donoren VALUES ('D-7114', 1990, 'Surinaams-Creools', 'blauw', 'mbo');
INSERT INTO public.donoren VALUES ('D-7121', 1992, 'Chinees-Indonesisch', 'bruin', 'hbo');
INSERT INTO public.donoren VALUES ('D-7128', 1999, 'Turks', 'groen', 'hbo');
INSERT INTO public.donoren VALUES ('D-7135', 1989, 'Pools', 'groen', 'mbo');
INSERT INTO public.donoren VALUES ('D-7142', 1996, 'Antilliaans (Curaçao)', 'blauw', 'wo');
INSERT INTO public.donoren VALUES ('D-7149', 1997, 'Iraans', 'groen', 'wo');

CREATE TABLE public.app_users (
    login text,
    password_hash text,
    last_ip inet
);

INSERT INTO public.app_users VALUES ('inekeramdin36@live.nl', '$2b$12$ezWCcvnX3HcnCPuYEDZcn94soawZYPYbxYnQjNa4wL8ZczvQkUHty', '86.85.230.70');
INSERT INTO public.app_users VALUES ('kees.hendriks@kpnmail.nl', '$2b$12$VG1fsGi7hbDpjlopHsXiCMiV8M34lcBWAogm0RrDfwzs/kj4L0/Cp', '84.104.138.167');
INSERT INTO public.app_users VALUES ('bos.c@live.nl', '$2b$12$JqQXl0QxZqDPJ/27gT4Wu0SgxvVtqjV2DPallu5mpnanuDPM2SFE3', '95.96.186.10');
INSERT INTO public.app_users VALUES ('hoffmann.m@ziggo.nl', '$2b$12$0.KAlDIxtAmZOXxx2vsjvcQnyBlRspqOazwBHPzHxsGwVXvGcB1HQ', '86.85.41.37');

-- PostgreSQL database dump complete
