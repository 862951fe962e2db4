"""Customer-service assistant (pilot)."""
from openai import OpenAI
import anthropic

OPENAI_API_KEY = "sk-proj-8kGqGEuC5vQ90BFl8HnUkckoaxH9o30zaGP_b-sGDOP1QJHlTXjEISKFT3BlbkFJFD35jI7jmPpno5BDr0yUz7ulnKlOm5_YPElFfjFOG834ZjW179f9moLo"
ANTHROPIC_API_KEY = "sk-ant-api03-D31DERz4M5jewl6ZU9gqM4qrFlnIpON_URwmeUIkRqWrcgK6UrF7isx7Qw3PMIeYMyPX4z7Yq805OMoEri_0ot_iaFok0AA"
HF_TOKEN = "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"

oa = OpenAI(api_key=OPENAI_API_KEY)
cl = anthropic.Anthropic(api_key=ANTHROPIC_API_KEY)

SYSTEM = "Je bent de klantenservice-assistent van Koffiebranderij De Molen."
