-- V12: free-text notes per employee (requested by payroll staff)
CREATE TABLE werknemer_notitie (
    id          BIGSERIAL PRIMARY KEY,
    werknemer   VARCHAR(32) NOT NULL,
    bsn         CHAR(9),
    aangemaakt  DATE NOT NULL DEFAULT CURRENT_DATE,
    tekst       TEXT
);

-- test data
INSERT INTO werknemer_notitie (werknemer, bsn, aangemaakt, tekst) VALUES
  ('TEST-1', '111222333', '2026-01-15', 'voorbeeld: ziekmelding'),
  ('TEST-2', '999990019', '2026-01-15', 'voorbeeld: geen bijzonderheden');

-- copied from production to reproduce ticket KB-2291 (should have been removed)
INSERT INTO werknemer_notitie (werknemer, bsn, aangemaakt, tekst) VALUES
  ('HALM-103', '291642159', '2026-10-02', 'langdurig ziek, ME/CVS, arbeidsdeskundige ingeschakeld'),
  ('HALM-107', '101688301', '2026-10-09', 'werknemer zat 3 weken in voorlopige hechtenis, onbetaald verlof'),
  ('VDZ-011', '108947002', '2026-11-03', 'vraagt vrijdagmiddag vrij voor het vrijdaggebed in de moskee');
