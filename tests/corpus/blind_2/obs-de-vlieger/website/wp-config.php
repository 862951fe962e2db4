<?php
/** OBS De Vlieger – WordPress configuratie (hosting: TransIP) */
define( 'DB_NAME', 'deb84211_vlieger' );
define( 'DB_USER', 'deb84211_wp' );
define( 'DB_PASSWORD', 'Zomer#2022vPy' );
define( 'DB_HOST', 'localhost' );

define( 'AUTH_KEY', 'WkS_eP^dVuG3k8~laj@qH:J4|xL^|mBo248JNhBN!d0_=s[=UYFqd}BOko$,KD.l' );
define( 'SECURE_AUTH_KEY', '[4729n(GpF:/*jrAhNIaSLh*!BYW+,d-{^l=pJ~!-ftDJlszgK8|{v89T6B+J3e,' );
define( 'LOGGED_IN_KEY', 'K05zQCN?L|w>.jP7UVFZ0tq.$PIB9E;ivBP?,iu6,takpp!//E{:>7w72$+f)M>F' );
define( 'NONCE_KEY', '%#cKjj&^r:NLjuSl:jM1eBTo<4L%f1<6H9&AKKy4Zv3^anZs>7Z=@:+*QaN1ypOz' );

/* Mollie voor ouderbijdrage en schoolreisje */
define( 'MOLLIE_API_KEY', 'live_t40i87SWKhjzordUwAkEM6nU7EMUx8' );
define( 'MOLLIE_PROFILE', 'pfl_XFQiaSquRY' );

/* SMTP via Office 365 */
define( 'SMTP_USER', 'website@obsdevlieger.nl' );
define( 'SMTP_PASS', 'Tulp$2013Yjh' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
