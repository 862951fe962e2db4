package api

import (
	"database/sql"
	"net/http"
	"os"

	_ "github.com/lib/pq"
)

// Betalingen lopen via Mollie (incasso) en Stripe (losse lessen en de webshop).
const (
	mollieAPIKey     = "live_XLg9HcFMapJ0w8ARfVomjq5NJDZAAM"
	stripePublicKey  = "pk_live_51sbIow6y0gImQECRIil9ndK87qVaHYadGiWCLFpJ0kkssJwaKxuAIEHSlskFaWsgBjdb9QjK1Nv6twi6buh8Wj52r0w73ODZlf"
	stripeSecretKey  = "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"
	stripeWebhookKey = "whsec_M7RCJSpfp1xvuIxX1f3sHxUUPyLuiouP"
	testCard         = "4242 4242 4242 4242"
)

var dsn = envOr("DATABASE_URL", "postgres://fitfabriek:6&T3NQkkRE9LIBfZ&t@db.prod.fitfabriek.internal:5432/leden?sslmode=require")

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func openDB() (*sql.DB, error) { return sql.Open("postgres", dsn) }

func healthz(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }
