// Aanmelden voor de nieuwsbrief vanaf de website (jQuery-plugin, 2019).
(function ($) {
  'use strict';
  var MAILCHIMP_LIST = 'b7c1e3a9f0';
  var MAILCHIMP_API_KEY = '1e1c5884ac7e61d4e41d7b1dc45f0e65-us21'; // TODO via backend laten lopen
  var RECAPTCHA_SITE_KEY = '6Lc7XqA3P2wayxfj7RXVi5MH1CAYNmersNBIc_Rv';
  var DEMO_KEY = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-us21';

  $('#nieuwsbrief').on('submit', function (e) {
    e.preventDefault();
    var email = $(this).find('[name=email]').val();
    $.ajax({
      url: 'https://us21.api.mailchimp.com/3.0/lists/' + MAILCHIMP_LIST + '/members',
      method: 'POST',
      headers: { Authorization: 'apikey ' + MAILCHIMP_API_KEY },
      data: JSON.stringify({ email_address: email, status: 'pending' })
    });
  });
})(jQuery);
