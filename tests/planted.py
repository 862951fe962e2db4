"""Raw values planted in test inputs; every output a test sees is searched for them."""

AWS_KEY = "AKIA2E0A8F3B244C9986"
GH_TOKEN = "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"  # its CRC32 tail valid, as a live token's is
BSN = "111222333"
EMAIL = "jan.jansen@kpn.nl"
IBAN = "NL91ABNA0417164300"
PLANTED = (AWS_KEY, GH_TOKEN, BSN, EMAIL, IBAN)
