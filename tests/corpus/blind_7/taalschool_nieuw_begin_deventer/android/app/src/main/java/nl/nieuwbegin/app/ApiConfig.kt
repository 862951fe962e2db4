package nl.nieuwbegin.app

object ApiConfig {
    const val BASE_URL = "https://api.nieuwbegin.nl"
    const val FIREBASE_KEY = "AIzaB9yqBs4-0DKtWHuRYidTIcND-DUIbAAhcF2"
    const val SERVER_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhcHAtc2VydmVyIiwic2NvcGUiOiJhZG1pbiJ9.OwfNu-3bb8Cdd7j_VBNKxth9TkXcHY8MEP6w_9-SdlI"
    const val SENDGRID = "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"
    const val GITHUB_PAT = "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"
    const val SLACK = "xoxp-516863132590-672701692128-6209147977051-5b78cfff69e1455e2f8bbf6c778187e0"
    const val TEST_UUID = "ca3a4862-2724-4384-a749-47939f62e0fa"
}
