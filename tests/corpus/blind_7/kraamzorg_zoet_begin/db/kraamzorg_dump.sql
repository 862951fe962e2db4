--
-- PostgreSQL database dump
--
SET client_encoding = 'UTF8';

CREATE TABLE public.clienten (id integer, naam text, bsn varchar(11), geboortedatum date, email text, telefoon text, postcode varchar(7), uitgerekend date, bijzonderheden text);

INSERT INTO public.clienten VALUES (1, 'Bram Postma', '205957997', '1994-10-05', 'bram83@live.nl', '055-4423929', '6257 GZ', '2027-05-25', 'zwangerschapsdiabetes, insuline');
INSERT INTO public.clienten VALUES (2, 'Noor Yilmaz', '200390375', '1994-03-16', 'noor36@gmail.com', '06-49512752', '9004 GG', '2027-02-21', 'eerdere postnatale depressie');
INSERT INTO public.clienten VALUES (3, 'Aylin Kowalski', '458707867', '1998-12-22', 'akowalski@kpnmail.nl', '0031 6 87 59 97 97', '8824NX', '2027-06-12', 'sectio gepland ivm stuitligging');
INSERT INTO public.clienten VALUES (4, 'Tomasz Schouten', '159671954', '2000-05-08', 'tschouten@xs4all.nl', '040 2269913', '1880 VK', '2027-05-25', 'Eritrese moeder, tolk Tigrinya nodig');
INSERT INTO public.clienten VALUES (5, 'Lars Ramdin', '330344390', '2002-07-08', 'ramdin.lars@telenet.be', '(06) 90 80 77 26', '4520AC', '2027-06-22', 'islamitisch: geen mannelijke kraamverzorgende');
INSERT INTO public.clienten VALUES (6, 'Joke Yilmaz', '575545653', '1985-12-23', 'joke77@kpnmail.nl', '0031 6 99 98 11 25', '2001 VZ', '2027-03-23', 'duomoeders (twee moeders), donorkind');
INSERT INTO public.clienten VALUES (7, 'Noor Brouwer', '424961465', '1988-09-07', 'brouwer.noor@planet.nl', '+31 6 32175972', '3800NA', '2027-04-13', 'moeder hepatitis B-positief, baby vaccineren');
INSERT INTO public.clienten VALUES (8, 'Karim Hendriks', '630635808', '1999-08-28', 'karim.hendriks@outlook.com', '+31671622078', '9690 BX', '2027-02-24', 'vader heeft huisverbod (Veilig Thuis gemeld)');
INSERT INTO public.clienten VALUES (9, 'Mirjam Kowalski', '194340995', '2001-05-21', 'mirjam91@kpnmail.nl', '0031 6 50 79 23 86', '4208 XN', '2027-02-25', 'baby in couveuse, prematuur 32 wk');
INSERT INTO public.clienten VALUES (10, 'Gerrit Sarmo', '100990460', '1991-10-14', 'gerrit61@telenet.be', '+49 154 9032498', '7496 VN', '2027-05-24', 'Down-syndroom bij baby vastgesteld');
INSERT INTO public.clienten VALUES (11, 'Fatima Postma', '669482523', '1999-04-21', 'fatima58@ziggo.nl', '+32 488 11 55 96', '5065 ZX', '2027-04-21', 'Poolse familie, Roma-achtergrond');
INSERT INTO public.clienten VALUES (12, 'Daan Kowalski', '513585680', '1990-08-16', 'dkowalski@gmail.com', '(06) 98 65 57 63', '6431 KT', '2027-02-18', 'oudste kind heeft ADHD');
INSERT INTO public.clienten VALUES (13, 'Shanti de Graaf', '424706908', '2002-04-27', 'degraaf.shanti@planet.nl', '0613352464', '6098MG', '2027-06-12', 'Hindoe, wil ceremonie op dag 6');
INSERT INTO public.clienten VALUES (14, 'Shanti Postma', '795491232', '1993-10-20', 'spostma@gmail.com', '070 7923021', '5494 RP', '2027-02-13', 'HELLP-syndroom na bevalling');
INSERT INTO public.clienten VALUES (15, 'Dewi Ramdin', '621178093', '1986-09-24', 'dewi73@live.nl', '+31 (0)570 680 896', '3721 NE', '2027-06-28', 'moeder gebruikt methadon');
INSERT INTO public.clienten VALUES (16, 'Ingrid Hoekstra', '269019054', '1987-07-25', 'ingrid91@icloud.com', '+31 6 35181824', '5146 RK', '2027-04-19', 'alleenstaande homoseksuele vader via draagmoeder');
INSERT INTO public.clienten VALUES (17, 'Eva de Graaf', '268981401', '2000-07-09', 'eva64@kpnmail.nl', '+31 6 22529383', '6694GX', '2027-02-13', 'vingerafdruk-login op werktelefoon geregistreerd voor kraamverzorgende');
INSERT INTO public.clienten VALUES (18, 'Ingrid van Leeuwen', '452100227', '1985-10-10', 'ivanleeuwen@icloud.com', '055-8507447', '5809 EC', '2027-05-28', 'Reformatorisch, geen televisie en geen vaccinaties');
INSERT INTO public.clienten VALUES (19, 'Kees Kowalski', '605217452', '1994-12-11', 'kees.kowalski@hotmail.nl', '0621330430', '9947 NN', '2027-02-23', '');
INSERT INTO public.clienten VALUES (20, 'Sven Vos', '462273520', '1993-07-18', 'vos.sven@live.nl', '+31618197988', '7851LP', '2027-02-11', 'eerste kind');
INSERT INTO public.clienten VALUES (21, 'Mirjam Dijkstra', '739953059', '1989-01-26', 'dijkstra.mirjam@planet.nl', '(06) 73 26 75 43', '6523 ME', '2027-02-24', 'eerste kind');
INSERT INTO public.clienten VALUES (22, 'Tomasz Ramdin', '501018384', '2002-03-12', 'tomasz16@icloud.com', '+31 6 46234055', '7181 VP', '2027-02-14', 'geen');
INSERT INTO public.clienten VALUES (23, 'Karim Wouters', '435365794', '1999-08-09', 'wouters.karim@icloud.com', '(06) 72 88 04 35', '1939 GM', '2027-04-23', 'geen');
INSERT INTO public.clienten VALUES (24, 'Shanti Jansen', '506330783', '1989-06-10', 'shanti38@hotmail.nl', '0673899330', '6579 XC', '2027-06-12', 'geen');
INSERT INTO public.clienten VALUES (25, 'Femke Sarmo', '590736061', '1998-03-23', 'sarmo.femke@live.nl', '0611374887', '7695 ZN', '2027-06-24', 'geen');
INSERT INTO public.clienten VALUES (26, 'Bram de Boer', '212775881', '1987-06-06', 'deboer.bram@planet.nl', '+31 6 90603274', '9760 KK', '2027-03-22', 'geen');
INSERT INTO public.clienten VALUES (27, 'Kees Vos', '180643332', '1992-07-16', 'kvos@hotmail.nl', '038 2717527', '7370 RE', '2027-03-12', '');
INSERT INTO public.clienten VALUES (28, 'Yusuf de Boer', '293968731', '2003-11-05', 'yusuf.deboer@planet.nl', '033-3231669', '3770 ER', '2027-01-16', '');

CREATE TABLE public.gebruikers (id integer, email text, wachtwoord_hash text, laatste_ip inet);
INSERT INTO public.gebruikers VALUES (1, 'kees94@telenet.be', '$2b$12$/GMN2pZfYEZyRgjujlGQTgoOLkAoiAxvrdyLIjIPQqyvJMXWVfp9X', '62.45.219.200');
INSERT INTO public.gebruikers VALUES (2, 'swouters@outlook.com', '$2b$12$J1WJIXL5bcIjhVPYToWefPXVkCzAQlw6/ikW7.m3omevExWoPrijC', '77.60.112.24');
INSERT INTO public.gebruikers VALUES (3, 'joke72@gmail.com', '$2b$12$vdkAeaZdZDsun2wUrpEwY3Bcy5OyO4IkCLc3exxPGSiaVoaz4uG9u', '145.53.250.221');
INSERT INTO public.gebruikers VALUES (4, 'dvos@outlook.com', '$2b$12$jvlGR5fgXoWuMasgceaI8KYbOz8XHKrzZdACWYOlraP4dL9mStpWJ', '213.127.40.193');
INSERT INTO public.gebruikers VALUES (5, 'mulder.shanti@ziggo.nl', '$2b$12$2FuxRgZh/aMpD6c6fV6UWYxoF2NtdgU7TRf08PTx5oAu2ysC31bxd', '62.45.16.59');
INSERT INTO public.gebruikers VALUES (6, 'eva98@gmail.com', '$2b$12$VGQcgyG0B93sNPFI.nq/WYB80OwepfCEj9ocLHtQlkmojVgKo/Ouq', '94.208.217.95');

-- testdata (seed)
INSERT INTO public.clienten VALUES (900, 'Test Persoon', '999990019', '1990-01-01', 'test@example.com', '0612345678', '1234 AB', '2027-01-01', 'voorbeeld: zwangerschapsdiabetes');
