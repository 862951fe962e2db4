-- A scan result's own sections (a DPIA's register, a SOC 2 readiness table, a report's file, a website's
-- consent table, a database's map, an image's previews, an AI model's classification, the files a scan
-- wrote, its notes) were kept only in Redis, so they vanished with the result's TTL: the scan page and a
-- later report of an older scan showed findings without the assessment they belong to. They are kept
-- here, beside the summary, as the worker wrote them (already masked, like every field of a result).
ALTER TABLE scans ADD COLUMN sections jsonb NOT NULL DEFAULT '{}'::jsonb;
