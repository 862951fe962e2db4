--
-- PostgreSQL database dump
--
SET client_encoding = 'UTF8';

CREATE TABLE public.clienten (id integer, naam text, bsn varchar(11), geboortedatum date, email text, telefoon text, postcode varchar(7), uitgerekend date, bijzonderheden text);

INSERT INTO public.clienten VALUES (1, 'Bram Postma', '205957997', '1994-10-05', 'bram83@live.nl', '055-4423929', '6257 GZ', '2027-05-25', 'zwangerschapsdiabetes, insuline');
INSERT INTO public.clienten VALUES (2, 'Noor Yilmaz', '200390375', '1994-03-16', 'noor36@gmail.com', '06-29756376', '9004 GG', '2027-02-21', 'eerdere postnatale depressie');
INSERT INTO public.clienten VALUES (3, 'Aylin Kowalski', '458707867', '1998-12-22', 'akowalski@kpnmail.nl', '0031 6 48 79 98 98', '8824NX', '2027-06-12', 'sectio gepland ivm stuitligging');
INSERT INTO public.clienten VALUES (4, 'Tomasz Schouten', '159671954', '2000-05-08', 'tschouten@xs4all.nl', '040 2269913', '1880 VK', '2027-05-25', 'Eritrese moeder, tolk Tigrinya nodig');
INSERT INTO public.clienten VALUES (5, 'Lars Ramdin', '330344390', '1993-09-14', 'ramdin.lars@telenet.be', '06-50403863', '2321AP', '2027-06-22', 'islamitisch: geen mannelijke kraamverzorgende');
INSERT INTO public.clienten VALUES (6, 'Joke Yilmaz', '575545653', '1985-12-23', 'joke77@kpnmail.nl', '0031 6 54 99 05 62', '2001 VZ', '2027-03-23', 'duomoeders (twee moeders), donorkind');
INSERT INTO public.clienten VALUES (7, 'Noor Brouwer', '424961465', '1988-09-07', 'brouwer.noor@planet.nl', '+31 6 21087986', '3800NA', '2027-04-13', 'moeder hepatitis B-positief, baby vaccineren');
INSERT INTO public.clienten VALUES (8, 'Karim Hendriks', '630635808', '1999-08-28', 'karim.hendriks@outlook.com', '+31640811039', '9690 BX', '2027-02-24', 'vader heeft huisverbod (Veilig Thuis gemeld)');
INSERT INTO public.clienten VALUES (9, 'Mirjam Kowalski', '194340995', '2001-05-21', 'mirjam91@kpnmail.nl', '06-30396193', '4208 LX', '2027-02-25', 'baby in couveuse, prematuur 32 wk');
INSERT INTO public.clienten VALUES (10, 'Gerrit Sarmo', '100990460', '1991-10-14', 'gerrit61@telenet.be', '+49 151 18032498', '7496 VN', '2027-05-24', 'Down-syndroom bij baby vastgesteld');
INSERT INTO public.clienten VALUES (11, 'Fatima Postma', '669482523', '1999-04-21', 'fatima58@ziggo.nl', '0648939861', '5065 ZX', '2027-04-21', 'Poolse familie, Roma-achtergrond');
INSERT INTO public.clienten VALUES (12, 'Daan Kowalski', '513585680', '1990-08-16', 'dkowalski@gmail.com', '(06) 55 66 63 29', '6431 KT', '2027-02-18', 'oudste kind heeft ADHD');
INSERT INTO public.clienten VALUES (13, 'Shanti de Graaf', '424706908', '2002-04-27', 'degraaf.shanti@planet.nl', '0655084691', '6098MG', '2027-06-12', 'Hindoe, wil ceremonie op dag 6');
INSERT INTO public.clienten VALUES (14, 'Shanti Postma', '795491232', '1993-10-20', 'spostma@gmail.com', '070 7923021', '5494 RP', '2027-02-13', 'HELLP-syndroom na bevalling');
INSERT INTO public.clienten VALUES (15, 'Dewi Ramdin', '621178093', '1986-09-24', 'dewi73@live.nl', '+31 (0)570 680 896', '3721 NE', '2027-06-28', 'moeder gebruikt methadon');
INSERT INTO public.clienten VALUES (16, 'Ingrid Hoekstra', '269019054', '1987-07-25', 'ingrid91@icloud.com', '+31 6 22590912', '5146 RK', '2027-04-19', 'alleenstaande homoseksuele vader via draagmoeder');
INSERT INTO public.clienten VALUES (17, 'Eva de Graaf', '268981401', '2000-07-09', 'eva64@kpnmail.nl', '+31 6 16264691', '7804 XL', '2027-02-13', 'vingerafdruk-login op werktelefoon geregistreerd voor kraamverzorgende');
INSERT INTO public.clienten VALUES (18, 'Ingrid van Leeuwen', '416129262', '1989-08-01', 'ivanleeuwen@icloud.com', '(06) 13 51 50 65', '2328WE', '2027-02-11', 'Reformatorisch, geen televisie en geen vaccinaties');
INSERT INTO public.clienten VALUES (19, 'Shanti Meijer', '177627621', '1994-07-11', 'shanti67@live.nl', '+31 6 29125895', '7767 CR', '2027-03-20', 'eerste kind');
INSERT INTO public.clienten VALUES (20, 'Lotte Visser', '462273520', '1996-12-14', 'lotte97@icloud.com', '+31657450870', '4560CC', '2027-02-11', 'eerste kind');
INSERT INTO public.clienten VALUES (21, 'Mirjam Dijkstra', '739953059', '2003-10-28', 'dijkstra.mirjam@planet.nl', '+31 6 58213644', '9160 PM', '2027-02-24', 'geen');
INSERT INTO public.clienten VALUES (22, 'Tomasz Ramdin', '501018384', '2002-03-12', 'tomasz16@icloud.com', '(06) 56 31 24 42', '7181 HV', '2027-02-14', 'geen');
INSERT INTO public.clienten VALUES (23, 'Karim Wouters', '435365794', '1996-10-20', 'wouters.karim@icloud.com', '+31641440217', '3644 NG', '2027-04-23', 'eerste kind');
INSERT INTO public.clienten VALUES (24, 'Shanti Jansen', '506330783', '1989-06-10', 'shanti38@hotmail.nl', '0641949665', '6579 XC', '2027-06-12', 'geen');
INSERT INTO public.clienten VALUES (25, 'Femke Sarmo', '590736061', '1998-03-23', 'sarmo.femke@live.nl', '0610687443', '7695 ZN', '2027-06-24', 'geen');
INSERT INTO public.clienten VALUES (26, 'Bram de Boer', '212775881', '1987-06-06', 'deboer.bram@planet.nl', '+31 6 50301637', '9760 KK', '2027-03-22', 'geen');
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
