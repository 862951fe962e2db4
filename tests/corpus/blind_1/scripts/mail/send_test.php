<?php
// test script voor transactionele mail, mag weg na migratie naar Postmark
require 'vendor/autoload.php';

$mgKey    = 'key-f9e1a553c0efc9fea5e5648dfc065ab1';
$mgDomain = 'mg.koffiebranderij-demolen.nl';
$postmarkServerToken = '553ce76f-8c9f-4c26-8cb8-6cf0cc996021';

$pdo = new PDO('mysql:host=db.internal;dbname=shop;charset=utf8mb4', 'shop_rw', 'kcyLyN8Fp#80');

$mg = Mailgun\Mailgun::create($mgKey, 'https://api.eu.mailgun.net');
$mg->messages()->send($mgDomain, [
  'from'    => 'De Molen <bestellingen@mg.koffiebranderij-demolen.nl>',
  'to'      => 'femke.kuipers@hotmail.com',
  'subject' => 'Testbericht',
  'text'    => 'Dit is een test.'
]);
