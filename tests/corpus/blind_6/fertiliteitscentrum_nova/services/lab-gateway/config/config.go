package config

// Defaults for the lab gateway (embryology lab <-> EPD). Production values come from Vault.
const (
	DefaultDSN      = "postgres://labgw:Duin#NkbO5q98@db.nova.internal:5432/epd?sslmode=require"
	AmqpURL         = "amqp://labgw:eDHVPrNxdNiBKFQaCETr@mq.nova.internal:5672/lab"
	SummaryModelKey = "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"
	AlertWebhook    = "https://hooks.slack.com/services/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"
	ExampleDSN      = "postgres://user:password@localhost:5432/epd"
	LabDeviceSerial = "EMB-2C574160651F"
)
