<?php
// Nightly export of the payroll journal from Nmbrs to the accountancy package.
$nmbrsUser  = 'koppeling@kooistra-bakker.nl';
$nmbrsToken = '87eadb64961bf8656505b124bf365ca3';
$sftp = ['host' => 'sftp.twinfield.nl', 'user' => 'kb_upload', 'password' => 'j%y1*#zu1TN%KG90'];
$mailPassword = getenv('MAIL_PASSWORD');
$example = ['token' => '<your-nmbrs-token>', 'password' => 'changeme'];
$hash = 'c65ef31bc5744723bcd21ec50a9e0a69ede13775acce7f2632fb82fc32e8d707';
