-- MySQL dump 10.13  Distrib 8.0.40, for Linux (x86_64)
-- Host: mysql.hofstede.internal    Database: portal
-- Server version	8.0.40
/*!40101 SET NAMES utf8mb4 */;

DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id` int NOT NULL AUTO_INCREMENT,
  `email` varchar(190) NOT NULL,
  `password_hash` char(60) NOT NULL,
  `name` varchar(120) DEFAULT NULL,
  `phone` varchar(32) DEFAULT NULL,
  `last_login` datetime DEFAULT NULL,
  `last_ip` varchar(45) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES
(1,'chloe_koster@gmail.com','$2y$12$Q2hu4qzd5VJel3rwaLq7WRUhjyFsc58L.UNdeSykgshKoHg0A7APE','Chloé Koster','+31-6-28250879','2026-09-05 18:39:00','2001:985:b14f:1017:341f:81be:ec34:c98b'),
(2,'kaya.s@kpnmail.nl','$2y$12$LmJAbfTnG7OWC1bW.LhYVxPwKtqmiQyzXpMV/sRGRMb8kKKuvGZt2','Sanne Kaya','06-28653070','2026-01-11 14:17:00','31.20.121.97'),
(3,'marieke_bakker@protonmail.com','$2y$12$7FU8oOVx6H.8lCPwkRCLuoO2L36.dX2SJ70dR9HCjXtdrBTOdtgZW','Marieke Bakker','0617259345','2026-02-02 15:09:00','212.238.9.139'),
(4,'tjon.j@live.nl','$2y$12$UywZLrCP71pqg4VVGdPqin43/hHVtWusYRzPrLaCEvHC4ZsJ8ndRd','Jesse Tjon','06 58 80 45 77','2026-05-15 06:07:00','2a02:a210:b95f:1a70:e6a3:403c:d42f:215d'),
(5,'tim_sedney@telenet.be','$2y$12$w7dRH6hKtodCqpRmEXWV8FwKsF43YdohJJLViy6voYzZKJqLk4Vvk','Tim Sedney','+31-6-32726101','2026-09-19 22:46:00','83.84.204.188'),
(6,'youssefmulder9@orange.fr','$2y$12$nQ34nZtp5lqEYqAivgDnYmDitGyXSco0xuLmxebh8EkEUefZcrGIM','Youssef Mulder','+31 (0)6 44470384','2026-10-24 23:48:00','213.127.75.243'),
(7,'timhendriks29@kpnmail.nl','$2y$12$umRqqBi63anCTLnBklnzaYKz6Qc/TfXYhxlGvT4zlvC0yMcFRKT3d','Tim Hendriks','+31 (0)6 57739660','2026-05-10 22:39:00','2a02:a440:87ea:ce1:8bdf:d7e:695e:4426'),
(8,'elena_kok@gmail.com','$2y$12$6ObVmRGLdnLQokv4051XQZ.ZgaY8fyOjsdzFoL.8CbIEQQUNXs6FB','Elena Kok','+31618447321','2026-04-13 19:02:00','31.20.24.221'),
(9,'d.demir@hotmail.com','$2y$12$rdAyXdiSVL9jOLzxAlWJbQxSN.nLnBUhzBN34emq7gEdiBgIX9Dl2','Dewi Demir','06 19 82 84 64','2026-06-11 11:19:00','83.84.193.96'),
(10,'sem.bos@yahoo.com','$2y$12$d8SVHQEjG7H7LPmOI1UExZZ9SeasbdzfTLJQi9dTUbm5OXgnsaj.p','Sem Bos','+31 (0)6 39959864','2026-07-22 16:25:00','2001:985:5e1d:a18f:53ae:d0bb:4eab:3cb8'),
(11,'bram.kaya@gmail.com','$2y$12$b0nhQi7tXVnFVdx92uNQkznqLAzSOT62RhUYdlWCQuHcYVOqUPnK3','Bram Kaya','06-50244940','2026-06-18 14:39:00','31.20.247.197'),
(12,'koen.wijaya@outlook.com','$2y$12$WsSRCPJFRe1xPID/R4YeOP9fh5/gAe69JX27.3hpLtJjdrHHw.ljC','Koen Wijaya','+31 6 4890 5498','2026-11-01 22:53:00','145.131.155.106'),
(13,'f.kaya@ziggo.nl','$2y$12$fYiWHGLs5vGEa29WnhF9AM.XmSB2muQIHPNca6x6eaBWev8MeSZRc','Femke Kaya','06 - 2471 2882','2026-03-12 10:44:00','2a02:a440:4b8:c7c7:4693:1588:f70c:4c29'),
(14,'marcosmit71@yahoo.com','$2y$12$zHUBR8c5.IJXX6Rb6M7xWY.8LdCioetGOyI.Xx6ghS1OLAC7dd8t.','Marco Smit','06.11.68.56.08','2026-05-05 12:49:00','145.131.179.206'),
(15,'timmeijer40@telenet.be','$2y$12$Dm33ERbxve3LjcWPSgGPW6fdjOdX/0c4NRE76Wp1BFEgXnus1IfVh','Tim Meijer','06 - 5195 6577','2026-04-21 18:02:00','94.208.144.95'),
(16,'dewi.meijer@live.nl','$2y$12$40McT5TvrWSEON2yhGRrYIaBwSn2HsOKkUbKgRc8N3XPaMZ87gorc','Dewi Meijer','06 52 08 00 31','2026-06-22 08:40:00','2a02:a210:bc8d:6b00:9b76:2942:6476:153e'),
(17,'kevin.sedney@protonmail.com','$2y$12$dB.HRwyQFz1Sr07HsQcaQSPqhOuo3UDjl8Ra7yhQiB4iEd9o5P9Bf','Kevin Sedney','+31656164020','2026-06-02 14:34:00','62.195.110.121'),
(18,'annelies.deboer@orange.fr','$2y$12$REJ.g6UbhzIFr.h8WMichhPsuedD.WQeUysbeJwq/VMJLw.nYOefN','Annelies de Boer','(06) 41663850','2026-02-06 18:19:00','77.163.79.48');
UNLOCK TABLES;

DROP TABLE IF EXISTS `repairs`;
CREATE TABLE `repairs` (`id` int NOT NULL, `user_id` int NOT NULL, `description` text, `created` date, `status` varchar(16));
LOCK TABLES `repairs` WRITE;
INSERT INTO `repairs` VALUES
(1,11,'Lekkage badkamer','2026-11-13','open'),
(2,5,'Traplift defect, ik ben afhankelijk van de traplift (reuma)','2026-11-28','open'),
(3,1,'Schimmel slaapkamer, mijn dochter heeft er astma van','2026-11-04','open'),
(4,7,'Deurbel kapot','2026-11-25','open'),
(5,1,'Graag voorrang: ik ben slechtziend en de trapverlichting werkt niet','2026-11-02','open'),
(6,17,'Cv-ketel maakt herrie','2026-11-09','open');
UNLOCK TABLES;
