package nl.waterlandoost.jeugd

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest

/** Haalt toewijzingen op bij het Gegevensknooppunt (iJW-berichten) en zet ze in het zaaksysteem. */
object GgkConfig {
    const val TENANT_ID = "f947169c-ce3b-400b-a1b0-987ee4f88fdd"
    const val CLIENT_ID = "f907e1b5-9960-409a-b2e6-c8e70759899d"
    // TODO naar Key Vault verplaatsen
    const val CLIENT_SECRET = "3wX8Q~0fJlIno2ZCTklUiD2n06xf7RbPTv_yNx_P"
    const val ZAAK_API_TOKEN = "tO5Ggd8bbUZXUdRUJfQQuBkus2T4dGvc5vuCd3Pe"
    val dbPassword: String = System.getenv("ZAAK_DB_PASSWORD") ?: "x6iz6GB#DtQEHT*DL%"
    const val SAMPLE_BSN = "999993653"
}

class GgkClient(private val http: HttpClient = HttpClient.newHttpClient()) {
    fun toewijzingen(gemeentecode: String): String {
        val request = HttpRequest.newBuilder(URI("https://api.ggk.example.nl/v2/toewijzingen/$gemeentecode"))
            .header("Authorization", "Bearer ${GgkConfig.ZAAK_API_TOKEN}")
            .build()
        return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body()
    }
}
