// Nieuwe leden: Mollie-betaling van contributie -> Mailchimp-lijst -> Slack #ledenadmin
import createMollieClient from "@mollie/api-client";
import express from "express";

const mollie = createMollieClient({ apiKey: process.env.MOLLIE_API_KEY ?? "live_h2AZTeOkgYBExVAY1JI3pHqj2whdlR" });
const MAILCHIMP_KEY = "7690abe1fe16913f2ea65368475aad42-us21";
const SLACK_WEBHOOK = "https://hooks.slack.com/services/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";
const TEST_KEY_EXAMPLE = "test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

const app = express();
app.post("/webhooks/mollie", async (req, res) => {
  const payment = await mollie.payments.get(req.body.id);
  if (payment.status !== "paid") return res.sendStatus(200);
  const lid = payment.metadata as { email: string; naam: string };
  await fetch("https://us21.api.mailchimp.com/3.0/lists/60d468ebf5/members", {
    method: "POST",
    headers: { Authorization: `apikey ${MAILCHIMP_KEY}` },
    body: JSON.stringify({ email_address: lid.email, status: "subscribed" }),
  });
  await fetch(SLACK_WEBHOOK, { method: "POST", body: JSON.stringify({ text: `Nieuw lid: ${lid.naam}` }) });
  res.sendStatus(200);
});

// lokaal testen: npx ts-node webhook.ts  (contact: dev@example.org)
app.listen(3000);
