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

INSERT INTO public.patienten VALUES (301, 'Jolanda Oosterhuis', '1989-08-11', '234142972', 'jolanda_oosterhuis@xs4all.nl', '06-24331651', '7717 WH', 'duomoeders (twee vrouwen)', 'rooms-katholiek');
INSERT INTO public.patienten VALUES (302, 'Priya Haverkamp', '1990-10-12', '417500270', 'phaverkamp@icloud.com', '06 54 95 66 45', '3289 KN', 'getrouwd', 'islamitisch');
INSERT INTO public.patienten VALUES (303, 'Marieke Wijnberg', '1996-12-22', '352227904', 'marieke_wijnberg@xs4all.nl', '+31 6 39491274', '2267 ZJ', 'alleenstaande moeder', 'geen');
INSERT INTO public.patienten VALUES (304, 'Cor Kaya', '1994-05-17', '360140166', 'cor_kaya@live.nl', '+31 (0)6 8866 8615', '6835 ZW', 'homostel, draagmoederschap buitenland', 'joods-orthodox');
INSERT INTO public.patienten VALUES (305, 'Annie Jansen', '1991-06-07', '327071321', 'annie.jansen@xs4all.nl', '0635093039', '2648 FD', 'samenwonend', NULL);
INSERT INTO public.patienten VALUES (306, 'Tineke Meijer', '1987-03-01', '571913404', 'tmeijer@xs4all.nl', '0031 6 83585147', '6385 RH', 'lesbisch paar, bekende donor', 'hindoeïstisch');
INSERT INTO public.patienten VALUES (307, 'Noor Kowalski', '1992-04-23', '631828771', 'noorkowalski92@ziggo.nl', '+31614812178', '6981 HK', 'getrouwd', 'evangelisch');
INSERT INTO public.patienten VALUES (308, 'Ilse Scholten', '1986-01-10', '369645443', 'ilsescholten2@gmail.com', '06 - 4761 8164', '6683 FZ', 'samenwonend', 'geen');
INSERT INTO public.patienten VALUES (309, 'Lotte Hoffmann', '1987-03-27', '734292399', 'lottehoffmann35@planet.nl', '(06) 47991138', '6139 RP', 'bi-vrouw met vrouwelijke partner', 'protestants (PKN)');
INSERT INTO public.patienten VALUES (310, 'Anouk Wijnberg', '1995-07-03', '728469339', 'anoukwijnberg14@gmail.com', '+31 6 15 237 007', '5300 XN', 'getrouwd', NULL);
INSERT INTO public.patienten VALUES (311, 'Fatima de Wit', '1989-09-03', '226584264', 'fatima.dewit@outlook.com', '06-35036380', '7341 FD', 'alleenstaand', 'islamitisch (sjiitisch)');
INSERT INTO public.patienten VALUES (312, 'Tineke El Amrani', '1984-01-04', '213702691', 'tineke.elamrani@outlook.com', '06 17 24 79 60', '3795 GT', 'geregistreerd partnerschap', 'boeddhistisch');

CREATE TABLE public.behandelingen (
    patient_id integer,
    diagnose text,
    medicatie text,
    opmerking text
);

INSERT INTO public.behandelingen VALUES (301, 'PCOS, anovulatie', 'Cetrotide', 'eerste consult online');
INSERT INTO public.behandelingen VALUES (302, 'endometriose graad III', 'letrozol 2,5 mg', 'partner veroordeeld voor mishandeling; Raad voor de Kinderbescherming ingelicht');
INSERT INTO public.behandelingen VALUES (303, 'azoospermie bij partner (TESE gepland)', 'Gonal-f 150 IE', 'patiënte is van Marokkaanse afkomst, wenst donor met dezelfde achtergrond');
INSERT INTO public.behandelingen VALUES (304, 'verminderde ovariële reserve, AMH 0,4', 'letrozol 2,5 mg', '');
INSERT INTO public.behandelingen VALUES (305, 'tubapathologie na chlamydia', 'letrozol 2,5 mg', 'rabbijn moet toestemming geven voor ICSI');
INSERT INTO public.behandelingen VALUES (306, 'herhaalde miskramen (3x)', 'Menopur 225 IE', 'wachtlijst, verwacht jan 2027');
INSERT INTO public.behandelingen VALUES (307, 'onbegrepen subfertiliteit, IUI-traject', 'progesteron vaginaal', 'Ghanese afkomst, sikkelcelscreening partner');
INSERT INTO public.behandelingen VALUES (308, 'oligoasthenoteratozoöspermie, ICSI', 'progesteron vaginaal', '');
INSERT INTO public.behandelingen VALUES (309, 'vroege menopauze (POI)', 'Menopur 225 IE', 'patiënte is Tweede Kamerlid (D66), alleen bellen op mobiel');
INSERT INTO public.behandelingen VALUES (310, 'Turner-mozaïek, eiceldonatie', 'Gonal-f 150 IE', 'verzekerd via buitenlandse polis');
INSERT INTO public.behandelingen VALUES (311, 'hydrosalpinx links, salpingectomie', 'letrozol 2,5 mg', 'wil geen embryo's invriezen vanwege katholiek geloof');
INSERT INTO public.behandelingen VALUES (312, 'hiv-positieve partner, spermawassing', 'Menopur 225 IE', '');

CREATE TABLE public.donoren (
    donor_code text,
    geboortejaar integer,
    etniciteit text,
    oogkleur text,
    opleiding text
);

INSERT INTO public.donoren VALUES ('D-7100', 1991, 'Nederlands', 'groen', 'mbo');
INSERT INTO public.donoren VALUES ('D-7107', 1989, 'Marokkaans-Nederlands', 'groen', 'wo');
INSERT INTO public.donoren VALUES ('D-7114', 1991, 'Surinaams-Creools', 'groen', 'hbo');
INSERT INTO public.donoren VALUES ('D-7121', 1985, 'Chinees-Indonesisch', 'blauw', 'wo');
INSERT INTO public.donoren VALUES ('D-7128', 1993, 'Turks', 'bruin', 'hbo');
INSERT INTO public.donoren VALUES ('D-7135', 1989, 'Pools', 'bruin', 'hbo');
INSERT INTO public.donoren VALUES ('D-7142', 1999, 'Antilliaans (Curaçao)', 'groen', 'hbo');
INSERT INTO public.donoren VALUES ('D-7149', 1985, 'Iraans', 'blauw', 'mbo');

CREATE TABLE public.app_users (
    login text,
    password_hash text,
    last_ip inet
);

INSERT INTO public.app_users VALUES ('katrinlindeboom16@ziggo.nl', '$2b$12$XiCMiV8M34lcBWAogm0RrDfwzs/kj4L0/Cpfvu5k.UJqQXl0QxZqD', '212.238.215.150');
INSERT INTO public.app_users VALUES ('tinekewolters7@home.nl', '$2b$12$Wu0SgxvVtqjV2DPallu5mpnanuDPM2SFE3eS/HOghlWx0.KAlDIxt', '31.201.26.172');
INSERT INTO public.app_users VALUES ('ehaverkamp@ziggo.nl', '$2b$12$jvcQnyBlRspqOazwBHPzHxsGwVXvGcB1HQkuspVlBglhJgOpnKARU', '94.214.226.167');
INSERT INTO public.app_users VALUES ('kees_nijland@icloud.com', '$2b$12$xe12nZQoKLl/AGtpT45GLClCsl5WuPLhNxxoAnJd3VGbDfaW1QKmv', '94.214.132.250');

-- PostgreSQL database dump complete
