<?php
// Nightly export of the payroll journal from Nmbrs to the accountancy package.
$nmbrsUser  = 'koppeling@kooistra-bakker.nl';
$nmbrsToken = 'fd49a6010ad279d10e962ac896510f39';
$sftp = ['host' => 'sftp.twinfield.nl', 'user' => 'kb_upload', 'password' => 'cxEH0-qGmWl-Smk0b'];
$mailPassword = getenv('MAIL_PASSWORD');
$example = ['token' => '<your-nmbrs-token>', 'password' => 'changeme'];
$hash = 'f365ca3b24226df65db998fd8d4bae2e6d6b7c65ef31bc5744723bcd21ec50a9';
