import pytest

from planbaar.validators import is_valid_bsn, is_valid_iban, luhn_ok

# Well-known test numbers from public documentation; none of these belong to a person.
BSN_OK = ["111222333", "123456782"]
BSN_BAD = ["123456789", "000000000"]
IBAN_OK = "NL91ABNA0417164300"
IBAN_BAD = "NL91ABNA0417164301"
CARDS = ["4242424242424242", "4111 1111 1111 1111"]


@pytest.mark.parametrize("n", BSN_OK)
def test_bsn_ok(n):
    assert is_valid_bsn(n)


def test_email_docs():
    assert "@" in "jan.jansen@example.com"
