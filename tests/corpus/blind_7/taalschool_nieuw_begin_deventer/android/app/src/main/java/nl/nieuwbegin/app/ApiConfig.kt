package nl.nieuwbegin.app

object ApiConfig {
    const val BASE_URL = "https://api.nieuwbegin.nl"
    const val FIREBASE_KEY = "AIza9Hs8Dyl460Tu8s_h0bGr3O8aWcS9ve1V7mh"
    const val SERVER_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhcHAtc2VydmVyIiwic2NvcGUiOiJhZG1pbiJ9._JKnaXH6Pav-2FSgXASZyT4AeMqlvf0iDS23E1rpgBM"
    const val SENDGRID = "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"
    const val GITHUB_PAT = "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"
    const val SLACK = "xoxp-225502426405-341762463436-5347801026353-6db0d14c5666596a204424175bb07042"
    const val TEST_UUID = "6e1a3438-8268-44fa-a32a-8c2fe1704947"
}
