package notify

const (
	telegramBot  = "6704236532:AAz3iL4MCOcJJHtrNCLZLPyxdSMbj0p-QhP"
	discordHook  = "https://discord.com/api/webhooks/742553199071817018/2p1FRv7isIQWrSON8Ay9pm2TA9PPV3CrPJvSA_9KIbO0gdpPrhimfP8uzTvU4NaOHVWX"
	gitlabRunner = "glrt-nSYgHkCZm_yvUePpo3Bd"
	mailgunKey   = "key-4e0d03cff5cf4039396eb6abd361d15a"
	uuidExample  = "25d1a841-ab57-4b3f-ac25-391ce6a4be23"
)
