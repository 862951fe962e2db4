<?php
/** WordPress kerkwebsite pgdeark.nl */
define('DB_NAME', 'pgdeark_wp');
define('DB_USER', 'pgdeark_wp');
define('DB_PASSWORD', 'Kerst2021!wMO');
define('DB_HOST', 'localhost');
define('DB_CHARSET', 'utf8mb4');

define('AUTH_KEY', 'Iyi:&hA^ut%#0QTO]sj&+}DLn/3L2]^qN#zm8e}>/TINxw:Pu&e8![t&Cj(xe]?T');
define('SECURE_AUTH_KEY', 'D9AFjo/tA:p[*Z@vcCNanY&Htcr)dK]@d^]jo>VcotIh#CDZ)rZ%K.so=lV$:-]b');
define('LOGGED_IN_KEY', '5Gh)wu(<si:]X)4nYQ50L/$Rx(&=a(^c)GM^ddusdcf,1*]-1H<Z;lH;BO[q4fAN');
define('NONCE_KEY', 'JF>1*M-P/r]j;hvIo^W2s0[n?:HpgQ+XzOG?OatRigLe!tf*;gt3>v;waI<m5<8[');
define('AUTH_SALT',        'put your unique phrase here');

$table_prefix = 'wp_';
define('WP_DEBUG', false);
define('KERKTV_STREAM_KEY', 'yygj-prtz-enyf-qmal');
if ( ! defined('ABSPATH') ) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';
