--
-- PostgreSQL database dump
--
SET client_encoding = 'UTF8';

CREATE TABLE public.clienten (id integer, naam text, bsn varchar(11), geboortedatum date, email text, telefoon text, postcode varchar(7), uitgerekend date, bijzonderheden text);

INSERT INTO public.clienten VALUES (1, 'Daan Bouali', '191720744', '1998-09-27', 'daan.bouali@icloud.com', '0650602111', '7849 AW', '2027-02-28', 'zwangerschapsdiabetes, insuline');
INSERT INTO public.clienten VALUES (2, 'Aylin Bakker', '789568627', '1996-09-05', 'abakker@xs4all.nl', '+32 472 92 13 44', '1385 CN', '2027-06-11', 'eerdere postnatale depressie');
INSERT INTO public.clienten VALUES (3, 'Aylin Hendriks', '197112778', '1997-11-22', 'hendriks.aylin@hotmail.nl', '0644335908', '6232MP', '2027-05-18', 'sectio gepland ivm stuitligging');
INSERT INTO public.clienten VALUES (4, 'Hamza Visser', '760169755', '2001-09-11', 'hamza23@ziggo.nl', '06 8324 1983', '7445 XX', '2027-01-26', 'Eritrese moeder, tolk Tigrinya nodig');
INSERT INTO public.clienten VALUES (5, 'Mehmet Bakker', '688153938', '1996-11-02', 'mehmet.bakker@kpnmail.nl', '+31653012423', '4485 EJ', '2027-02-17', 'islamitisch: geen mannelijke kraamverzorgende');
INSERT INTO public.clienten VALUES (6, 'Karim Bakker', '665410013', '2000-02-13', 'karim30@outlook.com', '06 2979 6577', '4490PJ', '2027-01-11', 'duomoeders (twee moeders), donorkind');
INSERT INTO public.clienten VALUES (7, 'Gijs de Boer', '396451822', '2001-05-20', 'gijs59@icloud.com', '+32 485 46 30 26', '1694 AG', '2027-06-14', 'moeder hepatitis B-positief, baby vaccineren');
INSERT INTO public.clienten VALUES (8, 'Gerrit Jansen', '205957997', '2002-04-05', 'gerrit.jansen@telenet.be', '(06) 79 53 61 20', '4354NN', '2027-05-25', 'vader heeft huisverbod (Veilig Thuis gemeld)');
INSERT INTO public.clienten VALUES (9, 'Noor Yilmaz', '200390375', '1994-03-16', 'noor36@gmail.com', '06-49512752', '9004 GG', '2027-02-21', 'baby in couveuse, prematuur 32 wk');
INSERT INTO public.clienten VALUES (10, 'Aylin Kowalski', '458707867', '1998-12-22', 'akowalski@kpnmail.nl', '0031 6 87 59 97 97', '8824NX', '2027-06-12', 'Down-syndroom bij baby vastgesteld');
INSERT INTO public.clienten VALUES (11, 'Tomasz Schouten', '159671954', '2000-05-08', 'tschouten@xs4all.nl', '040 2269913', '1880 VK', '2027-05-25', 'Poolse familie, Roma-achtergrond');
INSERT INTO public.clienten VALUES (12, 'Lars Ramdin', '330344390', '2002-07-08', 'ramdin.lars@telenet.be', '(06) 90 80 77 26', '4520AC', '2027-06-22', 'oudste kind heeft ADHD');
INSERT INTO public.clienten VALUES (13, 'Joke Yilmaz', '575545653', '1985-12-23', 'joke77@kpnmail.nl', '0031 6 99 98 11 25', '2001 VZ', '2027-03-23', 'Hindoe, wil ceremonie op dag 6');
INSERT INTO public.clienten VALUES (14, 'Noor Brouwer', '424961465', '1988-09-07', 'brouwer.noor@planet.nl', '+31 6 32175972', '3800NA', '2027-04-13', 'HELLP-syndroom na bevalling');
INSERT INTO public.clienten VALUES (15, 'Karim Hendriks', '630635808', '1999-08-28', 'karim.hendriks@outlook.com', '+31671622078', '9690 BX', '2027-02-24', 'moeder gebruikt methadon');
INSERT INTO public.clienten VALUES (16, 'Mirjam Kowalski', '194340995', '2001-05-21', 'mirjam91@kpnmail.nl', '0031 6 50 79 23 86', '4208 XN', '2027-02-25', 'alleenstaande homoseksuele vader via draagmoeder');
INSERT INTO public.clienten VALUES (17, 'Gerrit Sarmo', '100990460', '1991-10-14', 'gerrit61@telenet.be', '+49 154 9032498', '7496 VN', '2027-05-24', 'vingerafdruk-login op werktelefoon geregistreerd voor kraamverzorgende');
INSERT INTO public.clienten VALUES (18, 'Fatima Postma', '669482523', '1999-04-21', 'fatima58@ziggo.nl', '+32 488 11 55 96', '5065 ZX', '2027-04-21', 'Reformatorisch, geen televisie en geen vaccinaties');
INSERT INTO public.clienten VALUES (19, 'Daan Kowalski', '513585680', '1990-08-16', 'dkowalski@gmail.com', '(06) 98 65 57 63', '6431 KT', '2027-02-18', 'eerste kind');
INSERT INTO public.clienten VALUES (20, 'Shanti de Graaf', '424706908', '2002-04-27', 'degraaf.shanti@planet.nl', '0613352464', '6098MG', '2027-06-12', 'eerste kind');
INSERT INTO public.clienten VALUES (21, 'Shanti Postma', '795491232', '1993-10-20', 'spostma@gmail.com', '070 7923021', '5494 RP', '2027-02-13', '');
INSERT INTO public.clienten VALUES (22, 'Dewi Ramdin', '621178093', '1986-09-24', 'dewi73@live.nl', '+31 (0)570 680 896', '3721 NE', '2027-06-28', 'eerste kind');
INSERT INTO public.clienten VALUES (23, 'Ingrid Hoekstra', '269019054', '1987-07-25', 'ingrid91@icloud.com', '+31 6 35181824', '5146 RK', '2027-04-19', '');
INSERT INTO public.clienten VALUES (24, 'Eva de Graaf', '268981401', '2000-07-09', 'eva64@kpnmail.nl', '+31 6 22529383', '6694GX', '2027-02-13', '');
INSERT INTO public.clienten VALUES (25, 'Ingrid van Leeuwen', '452100227', '1985-10-10', 'ivanleeuwen@icloud.com', '055-8507447', '5809 EC', '2027-05-28', 'geen');
INSERT INTO public.clienten VALUES (26, 'Kees Kowalski', '605217452', '1994-12-11', 'kees.kowalski@hotmail.nl', '0621330430', '9947 NN', '2027-02-23', '');
INSERT INTO public.clienten VALUES (27, 'Sven Vos', '462273520', '1993-07-18', 'vos.sven@live.nl', '+31618197988', '7851LP', '2027-02-11', 'eerste kind');
INSERT INTO public.clienten VALUES (28, 'Mirjam Dijkstra', '739953059', '1989-01-26', 'dijkstra.mirjam@planet.nl', '(06) 73 26 75 43', '6523 ME', '2027-02-24', 'eerste kind');

CREATE TABLE public.gebruikers (id integer, email text, wachtwoord_hash text, laatste_ip inet);
INSERT INTO public.gebruikers VALUES (1, 'tomasz16@icloud.com', '$2b$12$IkKbPnwQVez/.WlMHN5jXwxFDQkCGUeGctK7djwyX7w9dwtq7.BbX', '62.45.247.6');
INSERT INTO public.gebruikers VALUES (2, 'hendriks.daan@telenet.be', '$2b$12$uUWMjPy11BYF6cEmh6qOCsIOdwwu322jxmbfjf5OJSTdGTdA8jMR5', '62.45.113.222');
INSERT INTO public.gebruikers VALUES (3, 'aylin86@hotmail.nl', '$2b$12$SXDTQIgpCFnM1Uq/D79lA60JFwD1Hddp34L.Cp2LcWG4AEvzdNDQg', '84.241.124.22');
INSERT INTO public.gebruikers VALUES (4, 'gerrit.meijer@kpnmail.nl', '$2b$12$2pZfYEZyRgjujlGQTgoOLkAoiAxvrdyLIjIPQqyvJMXWVfp9X/.Y/', '83.80.26.37');
INSERT INTO public.gebruikers VALUES (5, 'gijs84@telenet.be', '$2b$12$XL5bcIjhVPYToWefPXVkCzAQlw6/ikW7.m3omevExWoPrijCFtBPf', '84.241.210.214');
INSERT INTO public.gebruikers VALUES (6, 'yusuf.kaya@icloud.com', '$2b$12$eaZdZDsun2wUrpEwY3Bcy5OyO4IkCLc3exxPGSiaVoaz4uG9uL5na', '145.53.220.192');

-- testdata (seed)
INSERT INTO public.clienten VALUES (900, 'Test Persoon', '999990019', '1990-01-01', 'test@example.com', '0612345678', '1234 AB', '2027-01-01', 'voorbeeld: zwangerschapsdiabetes');
