--
-- PostgreSQL database dump
--

-- Dumped from database version 15.4 (Debian 15.4-1.pgdg120+1)
-- Dumped by pg_dump version 15.4 (Debian 15.4-1.pgdg120+1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

--
-- Data for Name: klanten; Type: TABLE DATA; Schema: public; Owner: crm
--

COPY public.klanten (id, voornaam, achternaam, geboortedatum, straat, huisnummer, postcode, woonplaats, telefoonnummer, emailadres, rekeningnummer) FROM stdin;
1	Sem	de Groot	2000-03-10	Nieuwstraat	120	9435 EP	Den Haag	06 - 1707 9167	sem_degroot@outlook.com	NL84FVLB3576339132
2	Ilse	de Vries	1992-07-27	Parallelweg	130	8203 FG	Enschede	+31 6 5706 1058	i.devries@kpnmail.nl	NL71KNAB1857074394
3	Koen	Schouten	1965-11-14	Dorpsstraat	82	5745 KR	Almere	078 973 7832	k.schouten@icloud.com	NL97ASNB8468962716
4	Yusuf	Verhoeven	1962-01-21	Lindelaan	101	3465 AC	Tilburg	06 - 1645 6369	yusuf_verhoeven@hotmail.com	NL72RABO8705913756
5	Wouter	Yilmaz	1980-05-24	Parallelweg	90	8800 KW	Groningen	078-9843196	wouteryilmaz16@xs4all.nl	NL41ASNB9898340495
6	Linda	Jansen	1977-05-08	Havenkade	122A	5118 ME	Maastricht	06-17308067	linda_jansen@xs4all.nl	NL04KNAB5290041788
7	Thijs	van Dijk	1988-03-20	Wilhelminalaan	215-2	3270 TN	Haarlem	(024) 706 2271	thijs.vandijk1987@proton.me	NL03SNSB4219160507
8	Koen	de Boer	1968-04-27	Stationsweg	141	7171 LX	Amsterdam	+31631055616	koendeboer58@hotmail.nl	NL73SNSB7338708444
9	Koen	Visser	1976-04-07	Rozengracht	212 bis	4881 PH	Zwolle	06 41 47 12 42	koenvisser87@planet.nl	NL07TRIO1655694464
\.


--
-- Data for Name: artikelen; Type: TABLE DATA; Schema: public; Owner: crm
--

COPY public.artikelen (artikelnummer, omschrijving, prijs, voorraad) FROM stdin;
725521053	Melkopschuimer	18.38	90
496800303	Melkopschuimer	88.78	217
889201699	Bonenmaler	29.13	6
285720740	Filterzakjes 100st	28.19	189
682719957	Espressokopjes set	55.52	183
283050627	Melkopschuimer	64.08	387
116180663	Thermoskan 1L	23.07	391
\.


SELECT pg_catalog.setval('public.klanten_id_seq', 9, true);

--
-- PostgreSQL database dump complete
--
