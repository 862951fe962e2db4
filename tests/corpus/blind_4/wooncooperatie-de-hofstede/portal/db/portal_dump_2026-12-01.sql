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
(1,'joostyilmaz23@telenet.be','$2y$12$21Us.ilNdLhLx3upArft/j0YlJjohxlWBj5o5JffeVgIgbnalxSo8','Joost Yilmaz','+31 6 5153 8347','2026-09-04 18:36:00','2001:985:afa9:e3bb:c687:2cf4:5669:cf6d'),
(2,'smit.e@protonmail.com','$2y$12$0TyGAVv8JhjyIaJ3OxiW0w1cRCDJrnGik8dQM7Pe.WRVEID0Z.5nQ','Elif Smit','0616067468','2026-07-14 18:32:00','94.208.87.44'),
(3,'lotte.bakker@protonmail.com','$2y$12$cD2aHtK3Dx6SQzZj1ppidv9r1uQ.5g0PERmkCjnHwnHXMxJxSYFUD','Lotte Bakker','06 - 4205 9354','2026-03-18 12:34:00','212.238.115.59'),
(4,'jaspervanleeuwen47@gmail.com','$2y$12$cdincQZ22zVwBOJUAeoVo7AaiTioIU3YHdleFDVXRVkUYaoShm88D','Jasper van Leeuwen','0031 6 31253656','2026-03-11 16:19:00','2a02:a210:b642:6473:dfe4:78a3:ced0:69c0'),
(5,'kevin_visser@icloud.com','$2y$12$Kwa1Szw4fMaKPkBh/U..tIc9Jgst7wVHFJ86PYpXeA1M7DQMqF9LC','Kevin Visser','+31-6-32522588','2026-06-02 08:14:00','77.163.116.23'),
(6,'bilal_hoekstra@gmail.com','$2y$12$000Zg/lLjHaObGaFfPoBLHP0V0Lkg.oN9AFuhnSCPB1swjzTZE9Uh','Bilal Hoekstra','06.14.73.62.42','2026-02-19 06:30:00','145.131.241.2'),
(7,'r.vandijk@gmail.com','$2y$12$QEH6xSMZ3yCSyX3XjCNtVPj5BdUgmqhRJ1Yw9dna3KM6bBRujMFxX','Roos van Dijk','+31645216067','2026-10-10 06:02:00','2a02:1810:54bd:4003:5b01:6545:c583:2c0d'),
(8,'aksoy.b@hotmail.com','$2y$12$CPkPF.qPaffEQ2UQKYJIxSC61WVPyLzZdRsdrtAm5Mf9G66sbwlta','Bram Aksoy','+31-6-29491195','2026-03-19 15:51:00','81.204.186.59'),
(9,'nadiawillems37@outlook.com','$2y$12$LkFRDu2IyQ2B9n9o6Tmc9cWDI7S45pVgpaIVeEvoiigNrl.qlkPOg','Nadia Willems','06 35 78 13 83','2026-02-05 13:41:00','145.131.90.152'),
(10,'hamzasmit69@protonmail.com','$2y$12$gVYbSHPjuX7WgcKG55iqvBt8vxFycOne8WTsGHIPZgscyWrrDtEpo','Hamza Smit','(06) 48510849','2026-10-08 22:45:00','2a02:a440:2a32:53dd:198b:b0bd:c63:4643'),
(11,'ingegoossens53@gmail.com','$2y$12$gV4umacAkaXB4RnTAPybgQgH2j5WRfIkizkvqYlBx5rdScFg2D2Tj','Inge Goossens','0031 6 56845597','2026-10-16 20:14:00','212.238.228.229'),
(12,'tim_peters@protonmail.com','$2y$12$JQjtmhxGoCycyBwdiBqnXDuFOBE6mFhESP.x225kayGP9c1P3AE3i','Tim Peters','+31-6-15652115','2026-03-09 08:25:00','81.204.110.111'),
(13,'sofieverbeek74@telenet.be','$2y$12$8jccuPPu2pi/HY9rRt8SoWtNtXXr/xGRBfevEV7vJ4p9DM8/NvXQv','Sofie Verbeek','06-48524831','2026-04-08 10:45:00','2a02:1810:4199:83ec:cbe5:f69b:db50:5b83'),
(14,'marco.prins@ziggo.nl','$2y$12$5wc1.gJMyUQ6WD15t3dioiaJmDrXVJH3Cv8b9Ev9dzYRhSiCCkUMz','Marco Prins','+31 (0)6 52233375','2026-06-05 22:08:00','81.204.117.145'),
(15,'jansen.j@gmail.com','$2y$12$GKOJTYE27Rx2scOcgc17/beb8ewuq2kXiS2wSa1yyyC2M0LZnWVFj','Jasper Jansen','0031 6 35330855','2026-09-13 12:02:00','62.195.114.245'),
(16,'zeynep_prins@xs4all.nl','$2y$12$/asDTeaIoYJcIKh7vZMVxP15jaXF1cYNo6nfeW7WrrWPme/YR/srR','Zeynep Prins','06.21.90.52.80','2026-06-23 20:50:00','2a02:a440:725e:d21e:4113:dbc5:4571:d4c3'),
(17,'anouk.wijaya@web.de','$2y$12$f78A1Sg5APOwo7Bgj2QoH74lesNgSyoyYqMsjfO3vdAQ.4MIA.yN3','Anouk Wijaya','+31-6-21094997','2026-06-25 20:20:00','212.238.108.117'),
(18,'h.aksoy@kpnmail.nl','$2y$12$lapiY5g6FpTdidojabDFSctXD7psuhhLZzHxVFNFFjnkqu/IsqhEi','Hanna Aksoy','+31-6-22690435','2026-10-24 08:21:00','62.195.85.38');
UNLOCK TABLES;

DROP TABLE IF EXISTS `repairs`;
CREATE TABLE `repairs` (`id` int NOT NULL, `user_id` int NOT NULL, `description` text, `created` date, `status` varchar(16));
LOCK TABLES `repairs` WRITE;
INSERT INTO `repairs` VALUES
(1,3,'Lekkage badkamer','2026-11-20','open'),
(2,13,'Traplift defect, ik ben afhankelijk van de traplift (reuma)','2026-11-10','open'),
(3,8,'Schimmel slaapkamer, mijn dochter heeft er astma van','2026-11-10','open'),
(4,10,'Deurbel kapot','2026-11-28','open'),
(5,6,'Graag voorrang: ik ben slechtziend en de trapverlichting werkt niet','2026-11-04','open'),
(6,11,'Cv-ketel maakt herrie','2026-11-10','open');
UNLOCK TABLES;
