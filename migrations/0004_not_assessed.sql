-- A scan that could not read its input (status 'failed') is not assessed: it has no compliance score
-- and its risk level is 'not_assessed' (services/scoring.py). Rows written before this said 100/low
-- for such scans, and 'unknown' for jobs that never ran; the summary copy is corrected with them.
UPDATE scans
   SET compliance_score = NULL,
       risk_level = 'not_assessed',
       summary = summary || '{"compliance_score": null, "risk_level": "not_assessed", "score_breakdown": []}'
 WHERE status = 'failed' OR compliance_score IS NULL;

-- and from now on the table itself refuses a score on a failed scan
ALTER TABLE scans ADD CONSTRAINT scans_failed_is_not_assessed
    CHECK (status <> 'failed' OR (compliance_score IS NULL AND risk_level = 'not_assessed'));
