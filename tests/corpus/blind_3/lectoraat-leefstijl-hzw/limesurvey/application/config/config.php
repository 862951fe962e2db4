<?php if (!defined('BASEPATH')) exit('No direct script access allowed');
return array(
    'components' => array(
        'db' => array(
            'connectionString' => 'mysql:host=localhost;port=3306;dbname=limesurvey;',
            'username' => 'limesurvey',
            'password' => 'Zomer2020!j0S',
            'charset' => 'utf8mb4',
            'tablePrefix' => 'lime_',
        ),
    ),
    'config' => array(
        'debug' => 0,
        'siteadminemail' => 'survey-admin@hzw.nl',
        'encryptionkeypair' => 'Dc+ZssMsU9lNY7Ki1PlAbdSkKg89DsZnBpGwq09altisrxz2Bs4SbP+TtrYtEDzJrZOguBhIHfisP6lyCoqNOT1Q26KGX2anVL8kPD/Ps76zp028m14dR2SG24691JM6',
    ),
);
