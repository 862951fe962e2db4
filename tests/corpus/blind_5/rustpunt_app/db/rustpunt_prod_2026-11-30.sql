-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: db-prod    Database: rustpunt
-- Server version	8.0.36

CREATE TABLE `clients` (
  `id` int NOT NULL AUTO_INCREMENT,
  `email` varchar(190) NOT NULL,
  `phone` varchar(32) DEFAULT NULL,
  `birth_date` date DEFAULT NULL,
  `bsn` char(9) DEFAULT NULL,
  `diagnosis` varchar(255) DEFAULT NULL,
  `medication` varchar(255) DEFAULT NULL,
  `last_ip` varchar(45) DEFAULT NULL,
  `password_hash` varchar(60) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `clients` VALUES
(1,'roosvos84@proton.me','06-57215885','1967-05-06','118524161','gegeneraliseerde angststoornis','sertraline 50 mg','2001:1c00:410f:a5eb:3891:3e06:7740:f495','$2y$10$jYTmCe9fD2dBKTxq7Hr2sH6lckYUae2cSaB6ux3UNrnyyb0WXHSpu'),
(2,'d.dewiyilmaz@icloud.com','+31-6-45569699','1988-12-24','263569937','depressieve stoornis, matig','escitalopram 10 mg','84.80.96.102','$2y$10$KlA0Dd/SUs5RfWxGa3LnbJ6cFbmxDivDqvcfOeo6tERKSlHs/hfYt'),
(3,'e.elifkaya@telenet.be','+31 6 5832 7992','1979-10-04','564167563','PTSS na ongeval','quetiapine 25 mg','94.210.30.84','$2y$10$ztwuf2UIAnQa0RKpsq91OnWRd3OAsTuLrcO46zS6UjiAMJxlmHCN1'),
(4,'e.elifsewdien@gmail.com','(06) 48410104','2003-05-02','375613961','burn-out','lithium 400 mg','2001:1c00:a523:26fb:e95f:1fc5:9fb6:e1dd','$2y$10$wVk/qSVCU26yHKEJZmqwTsBHTDKfjkhl.HSg8/vma8Jbnd/54kVpB'),
(5,'s.semozturk@hotmail.com','06-14282226','1975-03-18','364579729','paniekstoornis',NULL,'145.129.92.190','$2y$10$K4i6JmqDBzvgOxe8QvqEd4LoGIbwWfcRw3OcDdoDuARIv9kWqwhUy'),
(6,'karimbos45@ziggo.nl','(06) 27097303','1988-09-12','660123502','sociale fobie',NULL,'86.85.27.127','$2y$10$8jdFH/WskcyxdL5YClCxch4JlYyfU.jSUryoLq3A.naARE9XW9T/r'),
(7,'s.sembakker@ziggo.nl','06-43150652','1982-03-28','417323025','OCD','venlafaxine 75 mg','2a02:1810:c8d6:3898:e4a5:9a9c:9681:a4b6','$2y$10$Mlfq65l9BSuLUUpQX.Qq70o0t3NlDQ0qCRJMy8Aee.AE9COsz4V44'),
(8,'hannaramdin94@kpnmail.nl','+31-6-86216443','1996-09-07','463157667','eetstoornis (boulimia)','sertraline 50 mg','77.167.69.177','$2y$10$h422IjcZ/EgoQg283LsAhcooIvcOvAABifXNW5eq15wf2EWQiafTI'),
(9,'e.emmawillems@proton.me','(06) 15124582','1972-11-16','157472048','ADHD volwassenen','escitalopram 10 mg','86.85.124.93','$2y$10$bDgTnUxcTm0roX7HwE2JHtlBAeAVkDnifzc3KXIS8Y2KCrPIulNbH'),
(10,'rutgerbrouwer@kpnmail.nl','+31 (0)6 33733364','2005-08-12','400444203','bipolaire stoornis type II','quetiapine 25 mg','2001:1c00:63d8:cd84:9df7:13cc:7acc:1d7e','$2y$10$Dhwb8HuE4TyuRaErZBiii4ns.SIWkv.rk33s87/z2fDIYj/fSo.GE'),
(11,'bramkowalski24@proton.me','+31 (0)6 83664109','1967-05-16','178282315','alcoholverslaving, in herstel','lithium 400 mg','62.45.140.223','$2y$10$JDnBxVCW3jtDQT1thPOFrf7q2IhNWT/P5thDr6bQRlxzP2TZwGxeH'),
(12,'y.yasminasewdien@proton.me','06-85880792','1985-02-21','258409186','rouwverwerking na suïcide partner',NULL,'145.129.151.104','$2y$10$PcHMrxsBhuciVH.E2OcliLy5/JZTBqRq5gphU1OHJ3PCqbKg9egnW'),
(13,'p.priyajanssens@ziggo.nl','0031 6 49947226','1968-11-16','419057754','gegeneraliseerde angststoornis',NULL,'2001:984:a06f:8897:ccab:50d0:30ee:e117','$2y$10$Mh5MSBZl3Dj/VUY1URFJ1tkeSA8xg1mf5dt2C6wPxWHUsZIUD1zxl'),
(14,'yasminabrouwer29@icloud.com','0031 6 43974118','1985-03-28','336860390','depressieve stoornis, matig','venlafaxine 75 mg','77.167.35.136','$2y$10$A5W5rjnKy5.DaVT74CEViCABKmpp.N2Ysmu4caTQSW4IHU4P3mwit'),
(15,'emmawillems70@kpnmail.nl','06 - 8114 2534','1999-12-05','432646115','PTSS na ongeval','sertraline 50 mg','81.82.79.57','$2y$10$3S4rIsz298SB8GtMGPhpdmKWbklxEjea76i9RjfWQJ0qvTTBY0yQR'),
(16,'lienboer60@kpnmail.nl','0031 6 82054826','2000-01-16','497411581','burn-out','escitalopram 10 mg','2a02:1810:b00c:c8e9:2d60:5604:e97d:a60b','$2y$10$OwC1DaG/oNCk7tBV4kNm.WGvct9k/QHBKD8YntDNb9EH2/2UmS3xC'),
(17,'jorienpostma@proton.me','06 - 3129 2009','1975-04-13','146405419','paniekstoornis','quetiapine 25 mg','62.45.230.154','$2y$10$0MMJlPzDqfD2oLIpH21bqDwZs5oN0bK2hBK/p4qiMo.msmhFfJEB5'),
(18,'karimbakker96@telenet.be','0031 6 24036804','1991-04-07','247928586','sociale fobie','lithium 400 mg','94.210.7.92','$2y$10$ycNezkPYWvHzrL9zBwo2dAHMIhTWTr3Ca5IXPz1D/f/5xovXDAt7C'),
(19,'r.rooshoekstra@telenet.be','06-50968803','2002-05-19','484860811','OCD',NULL,'2001:984:1c20:d593:3c65:14ba:28b3:8ae7','$2y$10$HmBqXTs0k/a3kOzaoSHex5mYhOej0c/LY9I/bNfInzqMNvAbn6guN'),
(20,'d.daanbouzid@proton.me','0614947090','1990-08-27','417852824','eetstoornis (boulimia)',NULL,'145.129.234.241','$2y$10$YF..ageOErPP53kyDy737GrG8fJpacrnvH7UT/MnHvinWl4aBohcS'),
(21,'m.mariekebakker@icloud.com','+31650028433','1971-11-20','507794898','ADHD volwassenen','venlafaxine 75 mg','84.80.231.169','$2y$10$E9aGtLMXL.AG3w9jbt7p.ODlTtXGRnMoHiNrxTl2gmoOUMr4YKBM0'),
(22,'youssefbrouwer34@ziggo.nl','(06) 87204613','1996-03-16','513876145','bipolaire stoornis type II','sertraline 50 mg','2001:984:3a59:82ac:64f9:83af:4d53:68cb','$2y$10$APuZtTTgcOOxjMRb76234SmI6XBmQGvbMjpPVCbfSKNeGRn.ti2Cb'),
(23,'stijnmaes@kpnmail.nl','06 57 10 68 60','1991-08-20','509271649','alcoholverslaving, in herstel','escitalopram 10 mg','81.82.10.135','$2y$10$sYKESd/lXKi50qS4Vdx/2dv9tG5qCBs1qRqIgS4iLvWQI2GV2rQXB'),
(24,'f.fatmaverbeek@ziggo.nl','+31-6-40457206','1972-08-08','169371086','rouwverwerking na suïcide partner','quetiapine 25 mg','94.210.53.20','$2y$10$/WYjcdtYeSEyFn.sTifsZ6sLNeMoi5GL/jQ1TTqlOpV3vu6ZCIQi9'),
(25,'stijnwillems@kpnmail.nl','06 - 8154 3795','2003-03-27','469842635','gegeneraliseerde angststoornis','lithium 400 mg','2a02:a212:394d:721f:25d2:f6a8:bf81:8a2a','$2y$10$othsGzvOFsBydK1px3QEFYcej0YtGEftlQwd4K5FW5Hn1AM5l9Hzv'),
(26,'camillesewdien@ziggo.nl','+31 6 5942 4604','1986-02-06','202068912','depressieve stoornis, matig',NULL,'94.210.245.43','$2y$10$yptScWqpUe3TjG2jSUimBCqBn1KsQe.pR5HlGQDEHqUzekwTddlnu'),
(27,'h.hannaverbeek@gmail.com','06 - 1370 1710','1972-09-27','576149676','PTSS na ongeval',NULL,'213.127.71.247','$2y$10$yP53SuOyVFjUQBJjLuuTlhfTVHXJC/JOEp8sMG4GEePtHSADh8CfN'),
(28,'bramjacobs3@icloud.com','06 28 95 22 73','1980-11-13','490943652','burn-out','venlafaxine 75 mg','2001:1c00:1842:3d16:b717:a5fa:5939:3984','$2y$10$jUe3JFca2kaxVdzxGerSqthDIq5nr9K1wRt1N8R4OIkFSAkucYaPH');

CREATE TABLE `therapists` (`id` int, `name` varchar(80), `big_number` varchar(11));
INSERT INTO `therapists` VALUES (1,'drs. M. Hoekstra','19051234501');
