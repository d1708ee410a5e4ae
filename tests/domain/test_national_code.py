"""National codes, FIDA numbers, mobiles, digits and tracking codes; check digits worked by hand."""

import pytest

from server.domain.digits import only_digits, to_latin_digits, to_persian_digits
from server.domain.mobile import InvalidMobile, normalise_mobile
from server.domain.national_code import (
    InvalidNationalCode,
    check_digit,
    is_fida,
    is_valid_iranian,
    normalise,
    with_check_digit,
)
from server.domain.tracking import (
    TRACKING_CODE_LENGTH,
    is_valid_tracking_code,
    luhn_digit,
    new_tracking_code,
)

# --- digits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("۰۱۲۳۴۵۶۷۸۹", "0123456789", id="persian"),
        pytest.param("٠١٢٣٤٥٦٧٨٩", "0123456789", id="arabic"),
        pytest.param("abc 12", "abc 12", id="latin-untouched"),
    ],
)
def test_to_latin_digits(text, expected):
    assert to_latin_digits(text) == expected


def test_to_persian_digits():
    assert to_persian_digits(1404) == "۱۴۰۴"
    assert to_persian_digits("کد 0912") == "کد ۰۹۱۲"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(" 123-456.78_9 ", "123456789", id="separators-dropped"),
        pytest.param("۱۲ ۳۴", "1234", id="persian-with-space"),
        pytest.param("12a4", "12a4", id="letter-kept"),
    ],
)
def test_only_digits(text, expected):
    assert only_digits(text) == expected


# --- national codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_nine", "digit"),
    [
        # 1·10+2·9+3·8+4·7+5·6+6·5+7·4+8·3+9·2 = 210; 210 % 11 = 1 < 2 → 1
        pytest.param("123456789", 1, id="s-is-1"),
        # 1·8+2·7+3·6+4·5+5·4+6·3+7·2 = 112; 112 % 11 = 2 → 11 − 2 = 9
        pytest.param("001234567", 9, id="s-is-2"),
        # 1·9+1·2 = 11; 11 % 11 = 0 → 0
        pytest.param("010000001", 0, id="s-is-0"),
    ],
)
def test_check_digit(first_nine, digit):
    assert check_digit(first_nine) == digit


def test_with_check_digit():
    assert with_check_digit("123456789") == "1234567891"


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        pytest.param("1234567891", True, id="valid"),
        pytest.param("0100000010", True, id="valid-check-0"),
        pytest.param("1234567890", False, id="wrong-check-digit"),
        pytest.param("1234657891", False, id="swapped-digits"),
        pytest.param("0000000000", False, id="ten-zeros"),
        pytest.param("1111111111", False, id="ten-ones-checksum-ok"),
        pytest.param("123456789", False, id="nine-digits"),
        pytest.param("۱۲۳۴۵۶۷۸۹۱", False, id="persian-not-normalised"),
    ],
)
def test_is_valid_iranian(code, valid):
    assert is_valid_iranian(code) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1234567891", "1234567891", id="ten-digits"),
        pytest.param("۱۲۳۴۵۶۷۸۹۱", "1234567891", id="persian-digits"),
        pytest.param("١٢٣٤٥٦٧٨٩١", "1234567891", id="arabic-digits"),
        pytest.param(" 123-456789-1 ", "1234567891", id="separators"),
        pytest.param("0012345679", "0012345679", id="leading-zeros-typed"),
        pytest.param("012345679", "0012345679", id="nine-digits-padded"),
        pytest.param("12345679", "0012345679", id="eight-digits-padded"),
        pytest.param("123456789012", "123456789012", id="fida-12-digits"),
        pytest.param("۱۲۳۴۵۶۷۸۹۰۱۲", "123456789012", id="fida-persian-digits"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1234567890", id="bad-check-digit"),
        pytest.param("2222222222", id="ten-equal-digits"),
        pytest.param("12345678a1", id="letter"),
        pytest.param("1234567", id="seven-digits"),
        pytest.param("12345678912", id="eleven-digits"),
        pytest.param("1234567890123", id="thirteen-digits"),
        pytest.param("12345678901a", id="fida-with-letter"),
        pytest.param("", id="empty"),
    ],
)
def test_normalise_rejects(text):
    with pytest.raises(InvalidNationalCode):
        normalise(text)


def test_invalid_national_code_is_a_value_error():
    assert issubclass(InvalidNationalCode, ValueError)


@pytest.mark.parametrize(
    ("code", "fida"),
    [
        pytest.param("123456789012", True, id="fida"),
        pytest.param("1234567891", False, id="iranian"),
    ],
)
def test_is_fida(code, fida):
    assert is_fida(code) is fida


# --- mobiles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("09121234567", id="local"),
        pytest.param("+989121234567", id="plus-98"),
        pytest.param("00989121234567", id="0098"),
        pytest.param("989121234567", id="98"),
        pytest.param("9121234567", id="no-zero"),
        pytest.param("۰۹۱۲۱۲۳۴۵۶۷", id="persian-digits"),
        pytest.param("+۹۸۹۱۲۱۲۳۴۵۶۷", id="plus-98-persian-digits"),
        pytest.param("٠٩١٢١٢٣٤٥٦٧", id="arabic-digits"),
        pytest.param("0912 123 4567", id="spaces"),
    ],
)
def test_normalise_mobile(text):
    assert normalise_mobile(text) == "09121234567"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("02188776655", id="landline"),
        pytest.param("0912123456", id="too-short"),
        pytest.param("091212345678", id="too-long"),
        pytest.param("+98912123456", id="plus-98-too-short"),
        pytest.param("0912123456a", id="letter"),
        pytest.param("+449121234567", id="foreign"),
        pytest.param("", id="empty"),
    ],
)
def test_normalise_mobile_rejects(text):
    with pytest.raises(InvalidMobile):
        normalise_mobile(text)


# --- tracking codes ------------------------------------------------------------------------

# 7992739871 is the textbook Luhn example (check digit 3); a leading zero changes nothing.
VALID_TRACKING_CODE = "079927398713"


def test_luhn_digit():
    assert luhn_digit("07992739871") == 3


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        pytest.param(VALID_TRACKING_CODE, True, id="valid"),
        pytest.param("079927398714", False, id="check-digit-flipped"),
        pytest.param("179927398713", False, id="first-digit-flipped"),
        pytest.param("079927398731", False, id="last-two-swapped"),
        pytest.param("07992739871", False, id="eleven-digits"),
        pytest.param("0799273987130", False, id="thirteen-digits"),
        pytest.param("۰۷۹۹۲۷۳۹۸۷۱۳", False, id="persian-digits"),
        pytest.param("07992739871a", False, id="letter"),
    ],
)
def test_is_valid_tracking_code(text, valid):
    assert is_valid_tracking_code(text) is valid


def test_new_tracking_codes_are_valid_and_vary():
    codes = {new_tracking_code() for _ in range(50)}
    assert all(len(code) == TRACKING_CODE_LENGTH for code in codes)
    assert all(is_valid_tracking_code(code) for code in codes)
    assert len(codes) > 1
