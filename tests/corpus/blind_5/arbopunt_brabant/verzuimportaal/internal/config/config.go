package config

// Settings of the absence portal; production values come from Vault in theory.
const (
	DatabaseURL   = "postgres://verzuim:gzrcQNlCVwa1cPZjQIhn@10.20.0.5:5432/verzuim?sslmode=require"
	RedisURL      = "redis://:X9du3z32k8x0bydco9TaGjC0@10.20.0.6:6379/1"
	BunqAPIKey    = "d3c1926c3f24061470ccedd1e798be5f86be2766891cb400c45e9beb07b7ed64"
	ExactSecret   = "vMzmQBcgd8z5"
	AzureClientID = "7c428b35-eb89-07b3-a0d8-943b890743d6"
	AzureSecret   = "fdN8Q~JZHExLFgt~Ku-kJZI_ogDxFFQXqd_hgC1l"
	PasswordMinLength = 12
	PasswordField = "wachtwoord"
	DefaultToken  = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
)
