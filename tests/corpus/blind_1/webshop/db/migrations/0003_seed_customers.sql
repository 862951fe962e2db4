-- 0003_seed_customers.sql
-- Seed data voor de acceptatie-omgeving.
-- LET OP: gekopieerd uit productie-export van 1 oktober, nog niet geanonimiseerd (ticket WEB-1182).

BEGIN;

CREATE TABLE IF NOT EXISTS customers (
    id            SERIAL PRIMARY KEY,
    naam          VARCHAR(120) NOT NULL,
    bsn           CHAR(9),
    geboortedatum DATE,
    postcode      VARCHAR(7),
    telefoon      VARCHAR(20),
    email         VARCHAR(254),
    iban          VARCHAR(34)
);

INSERT INTO customers (naam, bsn, geboortedatum, postcode, telefoon, email, iban) VALUES
  ('Pieter Vos', '490484591', '1975-11-02', '9787PR', '+31 13 284 8782', 'pieter_vos@gmail.com', 'NL61RABO2748312082'),
  ('Noor Smits', '211494021', '1965-01-15', '3079 LG', '0031 6 56867525', 'noor.smits1972@ziggo.nl', 'NL37ABNA1987021517'),
  ('Fleur Kuipers', '628146425', '1975-03-22', '9771 AF', '+31 6 2251 7999', 'fleurkuipers87@planet.nl', 'NL38ABNA5568680442'),
  ('Yusuf Vos', '459139307', '1977-08-11', '3964 GW', '038 311 4320', 'yusuf.vos1985@kpnmail.nl', 'NL35FVLB7899232023'),
  ('Fatima de Boer', '194612077', '1952-09-23', '3127 EA', '0653349277', 'f.deboer@icloud.com', 'NL17BUNQ4888581703'),
  ('Hanneke Yilmaz', '336138866', '1978-03-16', '8434 TJ', '0499 26 9705', 'hanneke.yilmaz1971@proton.me', 'NL64BUNQ9804712644'),
  ('Fatima Hoekstra', '101690733', '1980-03-25', '7271 TE', '+31621203088', 'fatimahoekstra33@kpnmail.nl', 'NL26KNAB4316485954'),
  ('Pieter Smits', '637083490', '1976-11-06', '7868MV', '0615237557', 'p.smits@outlook.com', 'NL79RBRB4451071658'),
  ('Stefan de Boer', '510997053', '1960-10-11', '8496 CB', '+31 26 892 8187', 'stefan.deboer@icloud.com', 'NL28FVLB8371477813'),
  ('Femke van Dijk', '691976181', '1993-08-13', '7938 FM', '+31 118 35 6081', 'femke.vandijk1997@planet.nl', 'NL35TRIO9500111314');

INSERT INTO customer_notes (customer_id, created_at, note) VALUES
  (1, '2026-10-27 09:10:00', 'Adreswijziging doorgegeven'),
  (2, '2026-06-27 09:11:00', 'Adreswijziging doorgegeven'),
  (3, '2026-10-23 09:12:00', 'Adreswijziging doorgegeven'),
  (4, '2026-03-31 09:13:00', 'Retour ontvangen');

COMMIT;
