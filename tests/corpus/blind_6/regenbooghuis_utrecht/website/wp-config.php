<?php
define( 'DB_NAME', 'regenbooghuis_wp' );
define( 'DB_USER', 'rh_wp' );
define( 'DB_PASSWORD', 'Tulp#LZ011I61' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         'vcCNanY&Htcr)dK]@d^]jo>VcotIh#CDZ)rZ%K.so=lV$:-]b5Gh)wu(<si:]X)4' );
define( 'SECURE_AUTH_KEY',  'nYQ50L/$Rx(&=a(^c)GM^ddusdcf,1*]-1H<Z;lH;BO[q4fANJF>1*M-P/r]j;hv' );
define( 'LOGGED_IN_KEY',    'put your unique phrase here' );
define( 'MAILCHIMP_API_KEY', '83cd4d3831ac6a8a04a2191f4114d550-us21' );
define( 'RECAPTCHA_SITE_KEY', '6LeIm58AM8t1uYaVxnkfRdREtJ4pt3F3rEFUX0ac' );
define( 'WP_DEBUG', false );
$table_prefix = 'wp_';
