# Analyse ronde 2 – sportparticipatie
library(DBI)
library(dplyr)

con <- dbConnect(RPostgres::Postgres(), host = "survey-db.hzw.nl", dbname = "leefstijl",
                 user = "analist", password = "gqvxq-ipovk-arkrz")
df <- dbGetQuery(con, "SELECT * FROM antwoorden WHERE ronde = 2")

# wandb / OSF voor het delen van resultaten
Sys.setenv(OSF_PAT = "htNDpTW2YdNRQasuwmBp20SLkJBe6zkt4PfGeOuEX2ciXm9lip9K8cpHP8zSsHxIqTmbbk")
set.seed(626142398)
model <- glm(sport_uren_pw ~ leeftijdsgroep + etniciteit, data = df, family = poisson)
summary(model)
