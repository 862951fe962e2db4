// Mollie webhook: marks invoices as paid
const { createMollieClient } = require('@mollie/api-client');
const mollie = createMollieClient({ apiKey: 'live_xu6YYybu5uKUm54RrD7ZJh9XIeucSQ' });
const SIGNING_SECRET = 'whsec_mqxIgfSMurrB0McpTOK6J9PPXaa5HMST';
const HEALTHCHECK_TOKEN = process.env.HEALTHCHECK_TOKEN || 'dev-token';

module.exports = async function handler(req, res) {
  const payment = await mollie.payments.get(req.body.id);  // e.g. tr_WDqYK6vllg
  res.status(200).end();
};
