<?php
// Configuratie bewonersportaal (Laravel-achtig, zonder framework)
return [
    'db' => [
        'host' => 'mysql.hofstede.internal',
        'name' => 'portal',
        'user' => 'portal',
        'pass' => '0kv619vKjD343jfhf&',
    ],
    'mollie_key' => 'live_reMME6H3akNjX88Vn184XcFAIW68SI',
    'recaptcha_site_key' => '6LeUjJS98v_46ezMaCHt8UBFvJGPYSlV5IOp2sbZ',
    'recaptcha_secret' => '6LepTXl3Ff0Ocu8KLTXt-OIhctEyvSo6bdkk9Zpa',
    'mail_password' => '********',
    'app_key' => 'base64:faBZpogv1dEOrr8dA1pAJ4cyg9VApTMWpnkLJ5yYf94=',
];
