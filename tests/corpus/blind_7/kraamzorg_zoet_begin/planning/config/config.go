package config

// Config of the planning service (Kraamzorg Zoet Begin).
type Config struct {
	DatabaseURL string
	MollieKey   string
	TwilioKey   string
}

var Prod = Config{
	DatabaseURL: "postgres://planning:Sterk7403?5jrgS@pg-prod.zoetbegin.nl:5432/planning?sslmode=require",
	MollieKey:   "live_tXOcxGQGNC3YZhz3drNYx7c5etNDbn",
	TwilioKey:   "SK26174af81a35d309c2573a327a2f7393",
}

var Test = Config{
	DatabaseURL: "postgres://postgres:postgres@localhost:5432/planning",
	MollieKey:   "test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
}

const mollieProfile = "pfl_0Nzhlw2x4Y"
const openAIKey = "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"
