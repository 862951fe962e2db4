// checkout service – Express
const Stripe = require("stripe");
const { createMollieClient } = require("@mollie/api-client");

const stripe = Stripe("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");
const mollie = createMollieClient({ apiKey: "live_HEyXlxOsBg2aJPthIo8Co11d5OCUkx" });
const STRIPE_WEBHOOK_SECRET = "whsec_Xfzx9XkrK4v0DWayNbklJf1ImdJ7oBNi";
const STRIPE_PUBLISHABLE = "pk_live_Uk3RvXEp0nfR9qhB1PCv2Wwb";

// Test with card 4000 0566 5566 5556 (Stripe docs) or 4111 1111 1111 1111
async function pay(order) {
  if (order.method === "ideal") {
    return mollie.payments.create({ amount: { currency: "EUR", value: order.total }, method: "ideal",
      description: `Order ${order.id}`, redirectUrl: "https://www.despaak.nl/bedankt" });
  }
  return stripe.paymentIntents.create({ amount: Math.round(order.total * 100), currency: "eur" });
}

module.exports = { pay };
