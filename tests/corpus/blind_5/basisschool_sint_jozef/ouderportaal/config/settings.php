<?php
// Ouderportaal Sint-Jozef - productie
return [
    'db' => [
        'dsn'      => 'mysql:host=127.0.0.1;dbname=ouderportaal',
        'user'     => 'portal',
        'password' => '9mVKbdlq!X1JRTa2',
    ],
    'parnassys' => [
        'client_id'     => 'sintjozef-roermond',
        'client_secret' => '7PNaoiwSKlfpJraZImuXblvvDN1O9ydoS2bddGWn',
    ],
    'mail' => [
        'sendgrid_key' => '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',
        'from'         => 'ouderportaal@sintjozef-roermond.nl',
    ],
    'google_maps_key' => 'AIzam6rffnjMP2qutD-xCSJbAWtjY-gDE2xefqQ',
    'app_key'         => 'base64:5rDltlurPIUV5ksnYQEGSqnc3zG0G2AxtbZscjMWE8g=',
    'recaptcha_site'  => '6LNTd8aEOlNzRHULFYm50AZ7XQKSxVmPGdUDBNJB',
    'admin_password'  => getenv('ADMIN_PASSWORD') ?: 'changeme',
];
