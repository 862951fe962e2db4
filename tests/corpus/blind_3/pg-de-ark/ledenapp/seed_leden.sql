-- LRP-export, omgezet naar onze eigen ledenapp
CREATE TABLE leden (id INT PRIMARY KEY, voornaam TEXT, achternaam TEXT, geboortedatum DATE,
  postcode TEXT, email TEXT, telefoon TEXT, kerkelijk TEXT);
INSERT INTO leden (id, voornaam, achternaam, geboortedatum, postcode, email, telefoon, kerkelijk) VALUES
  (1000, 'Noor', 'Oosterhuis', '1992-03-05', '7677NC', 'noor_oosterhuis@live.nl', '0616851246', 'belijdenis 2002'),
  (1001, 'Willemijn', 'Dijkstra', '1975-05-16', '2177JD', 'w.dijkstra@gmail.com', '0633040701', 'gedoopt 1984'),
  (1002, 'Niels', 'Dekker', '1959-02-15', '8641WP', 'n.dekker@yahoo.com', '0637713847', 'belijdenis 2002'),
  (1003, 'Piotr', 'Prins', '1999-03-24', '6344TZ', 'piotr.prins@icloud.com', '0610880511', 'overgekomen van RK'),
  (1004, 'Lucas', 'de Groot', '2001-06-14', '5395XB', 'lucasdegroot68@outlook.com', '0648385587', 'overgekomen van RK'),
  (1005, 'Ruben', 'Jansen', '1943-10-18', '7919KM', 'ruben.jansen@xs4all.nl', '0617068266', 'gedoopt (Gereformeerd)'),
  (1006, 'Finn', 'Koster', '1955-06-16', '7664CE', 'finn_koster@gmail.com', '0641011977', 'overgekomen van RK'),
  (1007, 'Willemijn', 'de Graaf', '1945-11-02', '5738VH', 'willemijn.degraaf@telfort.nl', '0635549609', 'gedoopt (Gereformeerd)'),
  (1008, 'Daan', 'Jacobs', '1946-05-09', '4790AE', 'd.jacobs@live.nl', '0654960014', 'belijdenis 2002'),
  (1009, 'Fatima', 'Popescu', '2005-04-12', '4106GL', 'fatima_popescu@icloud.com', '0655616016', 'belijdenis 2002'),
  (1010, 'Wouter', 'Bouzid', '1948-04-14', '2044XR', 'wouterbouzid61@upcmail.nl', '0620742515', 'belijdenis 2002'),
  (1011, 'Ruben', 'Kok', '2001-01-10', '9004HC', 'r.kok@xs4all.nl', '0614469698', 'belijdenis 2002'),
  (1012, 'Mihai', 'van Leeuwen', '2006-02-19', '4688GA', 'mihaivanleeuwen63@telfort.nl', '0618277008', 'belijdenis 2002'),
  (1013, 'Mihai', 'Schouten', '2007-10-09', '7811DJ', 'mihai.schouten@live.nl', '0615187312', 'overgekomen van RK');
-- default DOB for unknown: 1900-01-01
