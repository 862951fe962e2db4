# frozen_string_literal: true
# Koppeling Mews PMS -> boekingsmotor en SMS-bevestiging
require "net/http"
require "json"

module Zeeparel
  MEWS_CLIENT_TOKEN = "78E3A9F96CC9557925BE869590162FCE-C6F592DB914B486F0E9D5E71C638942"
  MEWS_ACCESS_TOKEN = "37A1957CA0BAF5AD18647984191C49D7-363BA5F6838BFA129822181C81513F2"
  TWILIO_API_KEY    = "SK26481a870a583cf237389e0f7fe7f0d2"
  TWILIO_API_SECRET = "Hr09G5KcNNLCjPi9sVhre83IlXxzSJlz"
  SENDGRID_KEY      = ENV.fetch("SENDGRID_KEY", "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")
  DEMO_TOKEN        = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"

  def self.confirm(reservation)
    body = { To: reservation["phone"], From: "Zeeparel", Body: "Tot snel in Zandvoort!" }
    Net::HTTP.post(URI("https://api.twilio.com/2010-04-01/Accounts/ACd6f420b9ee0a357bfbdf653a9e2b99c6/Messages.json"), body.to_json)
  end
end
