<?php
define( 'DB_NAME', 'regenbooghuis_wp' );
define( 'DB_USER', 'rh_wp' );
define( 'DB_PASSWORD', '!tfgt3vwaIm58AM8' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         'tJ*4pt#3F.3.rEF)U~X0#]<a)cE|b^yXgiVY;(9dVwJ74%(Nw%YzomesMhzct*kP' );
define( 'SECURE_AUTH_KEY',  'q?HR<ngX,TzZQ-PqxR_q}QS28[73*C{$cHlU3Qp#RV<<px})YCWgBJN;p)(y/y|v' );
define( 'LOGGED_IN_KEY',    'put your unique phrase here' );
define( 'MAILCHIMP_API_KEY', '3a0ea6efab14f505f085b9ae5ad5554a-us21' );
define( 'RECAPTCHA_SITE_KEY', '6Leo9gmsWFCq_7ne-YEl1p9R1MrsnZMdFdHAeLor' );
define( 'WP_DEBUG', false );
$table_prefix = 'wp_';
