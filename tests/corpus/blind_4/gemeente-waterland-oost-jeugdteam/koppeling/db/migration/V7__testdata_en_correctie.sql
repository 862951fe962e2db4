-- V7: testgegevens voor de acceptatieomgeving + correctie geboortedatum
INSERT INTO kind (id, voornaam, achternaam, bsn, geboortedatum) VALUES
  (1, 'Test', 'Kind', '999993653', '2000-01-01'),
  (2, 'Voorbeeld', 'Persoon', '123456782', '2010-06-15'),
  (3, 'Dummy', 'Kind', '123456789', '2012-02-02');

-- correctie uit productie (ticket JT-881), per ongeluk meegecommit:
UPDATE kind SET geboortedatum = '2010-06-18' WHERE bsn = '959199512';
UPDATE kind SET geboortedatum = '2014-07-19' WHERE bsn = '193427679';
CREATE INDEX IF NOT EXISTS kind_bsn_idx ON kind (bsn);
