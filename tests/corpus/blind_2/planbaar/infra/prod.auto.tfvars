db_password      = "Iw5OgXUdTdovcZUg"
grafana_sa_token = "glsa_liKGdCKRM5EWkceR08uqW1fNvwLX8ypq_af078b13"
region           = "eu-west-1"
