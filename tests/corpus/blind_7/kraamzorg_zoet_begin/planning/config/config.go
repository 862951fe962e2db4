package config

// Config of the planning service (Kraamzorg Zoet Begin).
type Config struct {
	DatabaseURL string
	MollieKey   string
	TwilioKey   string
}

var Prod = Config{
	DatabaseURL: "postgres://planning:Valk8600&EsWup@pg-prod.zoetbegin.nl:5432/planning?sslmode=require",
	MollieKey:   "live_9U9MLmD44qwwmIZwLCxi8LncUuIvqz",
	TwilioKey:   "SK8e59da9a9425896f2845df8923886bd9",
}

var Test = Config{
	DatabaseURL: "postgres://postgres:postgres@localhost:5432/planning",
	MollieKey:   "test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
}

const mollieProfile = "pfl_mVcQ0tM0Lk"
const openAIKey = "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"
