package nl.nieuwbegin.app

object ApiConfig {
    const val BASE_URL = "https://api.nieuwbegin.nl"
    const val FIREBASE_KEY = "AIzaQcd7XaeFoVOMyDxXpANInfMgUZu9OyYIM6s"
    const val SERVER_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhcHAtc2VydmVyIiwic2NvcGUiOiJhZG1pbiJ9.pVihVtuMrJZX4dsDIoe9uJIkUArND-wRvA7iq8zwXDk"
    const val SENDGRID = "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"
    const val GITHUB_PAT = "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"
    const val SLACK = "xoxp-753489254086-194515393974-6743260656153-0da53cf0198cc8341881f8e9cd80f47d"
    const val TEST_UUID = "e348781f-4188-49d7-a5b4-68a0e3619eb9"
}
