<?php
// Donatiemodule website Al-Hidaya
define('DB_HOST', 'localhost');
define('DB_USER', 'alhidaya_wp');
define('DB_PASSWORD', "Noorder7417#oPtYA");
define('AUTH_KEY', "4M29jzaSX9U*XOZmZgT31N82yA@TDBaNyJfScJY^[#J6@o*V[ZD8Q&RTY_j0&ElA");
define('SECURE_AUTH_KEY', "put your unique phrase here");
$stripe = new \Stripe\StripeClient("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");
$publishable = "pk_live_51zicKuvmw0Z9KEJdY3WoLhbCk9uRWoAhYLa1NfM3xdr6eZqWQYXFnTkV9AP53mGSHhMFFD52jt5EtdlOTtKs4AmdLtLisQswM";
$recaptcha_site = "6Lc2LUAaIcjXoqyZcn465VwTvFYoF72WE8mp0gjI";
$mollie->setApiKey("test_yCTNw5voK5X10KzAFrGQl4UMeNcnk2");
$checksum = "b2f64ad272e60a39e7ec86a75c12a6d5";
