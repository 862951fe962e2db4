"""AI model providers beyond OpenAI and Anthropic (their sk- keys are in saas.py): Hugging Face, Groq,
Perplexity, Replicate, xAI, OpenRouter, LangSmith, Cohere, Mistral, DeepSeek, ElevenLabs, ….

A leaked key runs up the owner's bill and reads whatever prompts, files and fine-tuning data the
account holds (personal data sent to a model is still personal data): high. Providers with a
documented prefix get a token rule; the rest need their name next to the key.
"""

from __future__ import annotations

from services.detection import randomness
from services.detection.detectors.vendor import UUID, assigned, random_body, token, uuid_random
from services.results import Severity

HIGH = Severity.HIGH

DETECTORS = (
    token("Hugging Face", "huggingface_token", ("hf_",), r"[A-Za-z]{34}", severity=HIGH),
    token("Hugging Face", "huggingface_org_token", ("api_org_",), r"[A-Za-z]{34}", severity=HIGH),
    token("Groq", "groq_api_key", ("gsk_",), r"[A-Za-z0-9]{48}", severity=HIGH),
    token("Perplexity", "perplexity_api_key", ("pplx-",), r"[A-Za-z0-9]{48,56}", severity=HIGH),
    token("Replicate", "replicate_api_token", ("r8_",), r"[A-Za-z0-9]{37}", severity=HIGH),
    token("xAI", "xai_api_key", ("xai-",), r"[A-Za-z0-9]{80}", severity=HIGH),
    token("OpenRouter", "openrouter_api_key", ("sk-or-v1-",), r"[a-f0-9]{64}", severity=HIGH),
    token("LangSmith", "langsmith_api_key", ("lsv2_pt_", "lsv2_sk_"), r"[a-f0-9]{32}_[a-f0-9]{10}",
          severity=HIGH),
    token("Pinecone", "pinecone_api_key", ("pcsk_",), r"[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,80}", severity=HIGH),
    assigned("Pinecone", "pinecone_api_key_legacy", ("pinecone",), UUID, validate=uuid_random, severity=HIGH),
    assigned("Cohere", "cohere_api_key", ("cohere", "co_api_key"), r"[A-Za-z0-9]{40}", severity=HIGH),
    assigned("Mistral", "mistral_api_key", ("mistral",), r"[A-Za-z0-9]{32}", severity=HIGH),
    assigned("DeepSeek", "deepseek_api_key", ("deepseek",), r"sk-[a-f0-9]{32}", severity=HIGH,
             validate=random_body(3)),
    assigned("Together AI", "together_api_key", ("together_api_key", "together_key", "togetherai"),
             r"[a-f0-9]{64}|tgp_v1_[A-Za-z0-9_-]{40,50}", severity=HIGH),
    assigned("ElevenLabs", "elevenlabs_api_key", ("elevenlabs", "eleven_labs", "xi-api-key", "xi_api_key"),
             r"sk_[a-f0-9]{48}|[a-f0-9]{32}", severity=HIGH,
             validate=lambda v: randomness.looks_random(v.removeprefix("sk_"))),
    assigned("AssemblyAI", "assemblyai_api_key", ("assemblyai", "assembly_ai"), r"[a-f0-9]{32}",
             severity=HIGH),
    assigned("Azure OpenAI", "azure_openai_key", ("azure_openai", "azureopenai", "aoai"),
             r"[a-f0-9]{32}|[A-Za-z0-9]{84}", severity=HIGH),
    assigned("Weights & Biases", "wandb_api_key", ("wandb",), r"[a-f0-9]{40}", severity=HIGH),
    assigned("Private AI", "privateai_api_key", ("privateai", "private_ai", "private-ai"), r"[a-z0-9]{32}",
             severity=HIGH),
    assigned("Clarifai", "clarifai_pat", ("clarifai",), r"[a-f0-9]{32}", severity=HIGH),
)
