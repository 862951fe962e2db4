import pytest

from webshop.validators import is_valid_bsn, is_valid_iban


@pytest.mark.parametrize("value", ["111222333", "123456782"])
def test_valid_bsn(value):
    assert is_valid_bsn(value)


@pytest.mark.parametrize("value", ["123456789", "12345678", "abcdefghi"])
def test_invalid_bsn(value):
    assert not is_valid_bsn(value)


def test_iban():
    assert is_valid_iban("NL91ABNA0417164300")
    assert not is_valid_iban("NL91ABNA0417164301")
