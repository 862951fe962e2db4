import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

// quick fix for the demo at Venlo office, remove before merge
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? "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" });
const claude = new Anthropic({ apiKey: "sk-ant-api03-Uz7ulnKlOm5_YPElFfjFOG834ZjW179f9moLoD31DERz4M5jewl6ZU9gqM4qrFlnIpON_URwmeUIkRqWrcgK6UrF7isx7AA" });

export const HUBSPOT_TOKEN = "pat-eu1-6e8a48e0-2d40-49d5-9597-78d155d98ead";
export const PG_URL = "postgresql://cvparser:RtrczItVImuNyCN98MIUm@pg-talentbrug.postgres.database.azure.com:5432/cv?sslmode=require";

// the fields we extract; "religion" and "health" are deliberately NOT extracted
export const FIELDS = ["name", "email", "phone", "religion_excluded", "health_excluded"];

export const SYSTEM_PROMPT = `Extract contact details. Never return BSN, passport or medical information.`;
