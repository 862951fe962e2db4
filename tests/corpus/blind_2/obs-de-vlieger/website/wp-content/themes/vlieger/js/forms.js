/* Aanmeldformulier nieuwe leerlingen */
const MAILCHIMP_KEY = "230bf1d8b68805b43369c7d8656b4231-us21";
const RECAPTCHA_SITE_KEY = "6LWEv17eROVFaTubS3hmbBZLO--KUiOGktKz528Y";
const EXAMPLE_PHONE = "06-12345678";

function validatePostcode(pc) {
  // bv. "1234 AB"
  return /^[1-9][0-9]{3} ?(?!sa|sd|ss)[a-z]{2}$/i.test(pc);
}

export { validatePostcode };
