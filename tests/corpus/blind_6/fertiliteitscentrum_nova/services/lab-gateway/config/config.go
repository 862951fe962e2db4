package config

// Defaults for the lab gateway (embryology lab <-> EPD). Production values come from Vault.
const (
	DefaultDSN      = "postgres://labgw:*gW2QzsKd8PsUW7X@db.nova.internal:5432/epd?sslmode=require"
	AmqpURL         = "amqp://labgw:ym6bDHnAxEgtVfgdwfo5@mq.nova.internal:5672/lab"
	SummaryModelKey = "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"
	AlertWebhook    = "https://hooks.slack.com/services/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"
	ExampleDSN      = "postgres://user:password@localhost:5432/epd"
	LabDeviceSerial = "EMB-090201161BD4"
)
