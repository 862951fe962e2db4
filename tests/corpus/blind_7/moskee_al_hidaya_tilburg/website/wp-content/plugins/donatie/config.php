<?php
// Donatiemodule website Al-Hidaya
define('DB_HOST', 'localhost');
define('DB_USER', 'alhidaya_wp');
define('DB_PASSWORD', "Zomer6053%8m957");
define('AUTH_KEY', "_^by(wmh8-Qg7ay#^x!wu@DU422mfhIG&DpL7CWK7Eu]1X37WnrZ*0RodUHYfndF");
define('SECURE_AUTH_KEY', "put your unique phrase here");
$stripe = new \Stripe\StripeClient("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");
$publishable = "pk_live_51kv4hCCT0RMqfSmFGcbzpg7bVfO4u80bYd4Q2BDENMSWAKI1xWwyDjP4e2hjk7pDXkDwykm1giuFbK9MVPLUU5wvyObzULiV2";
$recaptcha_site = "6LcYVYXPuwkL85rE_L9_nuyn_cvKGcIz6QyQqMWb";
$mollie->setApiKey("test_DqYkQ3x0XyFZuLIDE75G9PiDE3m3Qj");
$checksum = "b2f64ad272e60a39e7ec86a75c12a6d5";
