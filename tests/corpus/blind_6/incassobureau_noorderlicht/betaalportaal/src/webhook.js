// Mollie webhook: marks a payment arrangement term as paid.
const { createMollieClient } = require('@mollie/api-client');

const mollie = createMollieClient({ apiKey: 'live_fNWBSIskiCe6MOh0Bqakt5wDyQOxLO' });
const PROFILE_ID = 'pfl_5sWfx88Rox';
const TEST_KEY = process.env.MOLLIE_TEST_KEY || 'test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
const SIGNING_SECRET = 'whsec_g8lhGAS6NZBLRHEIoRvrUi7Zbe9DK6i8';
const RECAPTCHA_SITE_KEY = '6LcUmpylFIZ9Rowx42eip7Qp-0lfjWcJgKv1KPeM';

module.exports = async function webhook(req, res) {
  const payment = await mollie.payments.get(req.body.id);
  res.status(payment.isPaid() ? 200 : 202).end();
};
