package config

import "os"

// Defaults for local runs. TODO(wouter): move to SSM before go-live!
const (
	awsRegion    = "eu-central-1"
	awsAccessKey = "ASIAMEJHQNJZLEPYBJHE"
	awsSecretKey = "jkbwjHPbzCs8mYDNsCK+XDQ2rlfcA87Xixwd0X4W"
	mapsAPIKey   = "AIzacycK3VdRnFFW8WIzmTcYkQufxILemqhGYSx"
	// example from the AWS docs, used in unit tests only
	exampleKeyID = "AKIAIOSFODNN7EXAMPLE"
)

var DatabaseURL = getenv("DATABASE_URL", "postgres://trackapi:wnEdCyj1pnD8mTYs6K9XnlgeU@db-prod.vdplas.internal:5432/tracking?sslmode=require")
var LocalURL = "postgres://postgres:postgres@localhost:5432/tracking"

func getenv(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}
