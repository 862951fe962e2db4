-- seed: uitkeringen participatiewet (testomgeving ACC gevuld met productie-extract!)
INSERT INTO uitkering (id, bsn, naam, geboortedatum, iban, ingangsdatum, opschorting_reden) VALUES
  (4100, '514520188', 'Jesse Bakker', '1993-03-01', 'NL12TRIO7626969172', '2025-04-01', NULL),
  (4101, '383109632', 'Rik Huisman', '1992-01-22', 'NL06SNSB7991252900', '2025-12-01', NULL),
  (4102, '451160976', 'Thijs Verhoef', '1996-08-24', 'NL27RABO2865037062', '2025-03-01', 'detentie PI Dordrecht 12-03-2026 t/m 14-06-2026'),
  (4103, '388826587', 'Linda Prins', '1965-04-26', 'NL79BUNQ5553431779', '2025-02-01', NULL),
  (4104, '285264138', 'Rik de Graaf', '1967-08-30', 'NL54RBRB2134839275', '2025-04-01', NULL),
  (4105, '746103645', 'Mohamed Georgiev', '1991-01-20', 'NL21SNSB5832522965', '2025-07-01', NULL),
  (4106, '511483338', 'Mohamed Kowalczyk', '1967-10-14', 'NL59RBRB9994834739', '2025-05-01', NULL),
  (4107, '791111404', 'Wouter Timmermans', '1976-07-21', 'NL89ASNB2860412481', '2025-03-01', 'opname GGZ-kliniek'),
  (4108, '559754978', 'Lotte Lammers', '2001-11-25', 'NL78RBRB0147249285', '2025-02-01', NULL),
  (4109, '180985528', 'Anouk Kuipers', '1970-08-21', 'NL05BUNQ3549091556', '2025-09-01', NULL),
  (4110, '509898634', 'Anouk Jacobs', '1975-05-24', 'NL51ABNA0592563330', '2025-03-01', NULL),
  (4111, '613588836', 'Priya Kok', '1962-09-02', 'NL33TRIO3688213081', '2025-12-01', NULL);

INSERT INTO regeling (code, omschrijving, versie) VALUES
  ('PW-ALG', 'Algemene bijstand', '3.12.0.1'),
  ('PW-IOAW', 'IOAW', '1.4');
