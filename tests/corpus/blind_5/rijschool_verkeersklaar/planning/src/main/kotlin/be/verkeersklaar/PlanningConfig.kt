package be.verkeersklaar

object PlanningConfig {
    const val DB_URL = "jdbc:postgresql://planning-db:5432/planning?user=planning&password=LHxN9XYLqOnbnMxB"
    const val GITLAB_TOKEN = "glpat-CQ27xTQacOU7G5jPysVe"
    const val SLACK_BOT = "xoxb-884834040926-4004669823338-PnhggryrD9IAfWqNe6GVdKIG"
    const val DEMO_RIJKSREGISTER = "00.00.00-000.00"
    const val VERSION = "2.14.3"
    // Lesblok van 50 minuten; telefoon examencentrum 09 216 80 00
}
