package shipping

import (
	"database/sql"
	"net/http"
	"time"
)

const (
	sendcloudPublicKey = "17bd6a91-1ab6-499b-8d04-cfbf853ba18e"
	sendcloudSecretKey = "b133a1e8d2ca45f6d68a0f31c02e19da"
	dsn                = "postgres://shipping:1txxepN2AEYKYFHD@db.despaak.internal:5432/shop?sslmode=require"
)

var client = &http.Client{Timeout: 10 * time.Second}

func Open() (*sql.DB, error) { return sql.Open("postgres", dsn) }
