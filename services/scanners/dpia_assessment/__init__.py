"""The DPIA's assessment rules, apart from the scanner that validates requests (services/scanners/dpia.py).

conditions: the small condition language of the questionnaire (which answers make something hold);
screening: whether a DPIA is required, the Art. 35(3) cases, the exemptions;
register: the risk register, measures weighed by their documented amounts, evidence by confidence;
citations: the articles an assessment engages, each with its paragraph, in reading order.
"""
