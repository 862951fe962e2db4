<?php
// Synchroniseert declaraties naar Exact Online (divisie 2041771)
$config = [
    'exact_client_id'     => '7f48ff32-1823-4664-8d61-a01e0eee35b0',
    'exact_client_secret' => '32Jlm2B7gPhn',
    'exact_webhook_secret'=> 'gICBmGxHhJcW',
    'redirect_uri'        => 'https://intranet.vanrijndegraaf.nl/exact/callback',
    'db_dsn'              => 'mysql:host=127.0.0.1;dbname=kantoor',
    'db_user'             => 'kantoor',
    'db_pass'             => 'l%SDS!4+MbCxJmQ0',
];
$smtpPassword = getenv('SMTP_PASSWORD') ?: '********';
