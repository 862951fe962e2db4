<?php
// Donatiemodule website Al-Hidaya
define('DB_HOST', 'localhost');
define('DB_USER', 'alhidaya_wp');
define('DB_PASSWORD', "Kraam6286%WPqHb");
define('AUTH_KEY', "h^LG&HcL(oQkKySQ0yv-!BOV#5HfZrf_OQzT_8)gCpc5vPD1p]bkUhIiH!Bu1z%&");
define('SECURE_AUTH_KEY', "put your unique phrase here");
$stripe = new \Stripe\StripeClient("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");
$publishable = "pk_live_51e2yIzaTXv4wjyCTNw5voK5X10KzAFrGQl4UMeNcnk2VOTAbWd3vfDwUwIi7ju3jDTQre55GOCFHGowje5JE4gDv1iw6fBi71";
$recaptcha_site = "6Lc502RVWp5ulraLIMBItN0S3trtXDQj3DOO2qWs";
$mollie->setApiKey("test_k8foy9ntQ3VCr8YiQEWhFyTHVWcmvH");
$checksum = "b2f64ad272e60a39e7ec86a75c12a6d5";
