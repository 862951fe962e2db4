package nl.nieuwbegin.app

object ApiConfig {
    const val BASE_URL = "https://api.nieuwbegin.nl"
    const val FIREBASE_KEY = "AIza8v2-fLKij8odxdfNJwyai-SxnDsnwE3ppvK"
    const val SERVER_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhcHAtc2VydmVyIiwic2NvcGUiOiJhZG1pbiJ9.mfkjOy0svcRxyI_Y1ToR8qn-q3ZmReee20RZb6sksPw"
    const val SENDGRID = "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"
    const val GITHUB_PAT = "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"
    const val SLACK = "xoxp-760953426844-898232886699-9278638728181-eab87a005e844aa6c020a09dc92eee5e"
    const val TEST_UUID = "1ae9d436-02a3-470c-ae5c-ef420904dbf9"
}
