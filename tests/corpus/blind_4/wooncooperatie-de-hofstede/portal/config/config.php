<?php
// Configuratie bewonersportaal (Laravel-achtig, zonder framework)
return [
    'db' => [
        'host' => 'mysql.hofstede.internal',
        'name' => 'portal',
        'user' => 'portal',
        'pass' => '6Qsv5HD3B9Y6jMHXxBGZBJ1D',
    ],
    'mollie_key' => 'live_2BaoqfHnZriCbEyqDbbbWxhPq17cxb',
    'recaptcha_site_key' => '6LeEW3zMSSqyV1CUxAKJTlXnBqVcVJy52vojulhV',
    'recaptcha_secret' => '6LeUXL_Gi3TJmoZl6p5MMJyDB7p76wWgfp-Hz8Rd',
    'mail_password' => '********',
    'app_key' => 'base64:DFfp2AmSOhefptT/VVueiZHO7BzfWhr9kffBPO8t06Q=',
];
