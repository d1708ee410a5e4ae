"""Files the csv module cannot read as they are: each is `file:line: reason`, exit 1, nothing
written (issue 10 §6) — never a traceback."""

import pytest
from test_importer import PERSONS, table_contents, write_family

GOOD_LINE = PERSONS[1].encode()
LATIN_1_LINE = "0045678911,Ren\xe9,Dupont,1990-01-01,M,,".encode("latin-1")


def _utf16(lines: tuple[str, ...]) -> bytes:
    """A file as a spreadsheet saves "Unicode text": UTF-16 with its byte-order mark."""
    return ("\n".join(lines) + "\n").encode("utf-16")


BAD_FILES = [
    pytest.param(
        b"\n".join([PERSONS[0].encode(), GOOD_LINE, LATIN_1_LINE]) + b"\n",
        "persons.csv:3:",
        "UTF-8",
        id="latin-1",
    ),
    pytest.param(_utf16(PERSONS), "persons.csv:1:", "UTF-8", id="utf-16"),
    pytest.param(
        b"\n".join([PERSONS[0].encode(), GOOD_LINE, PERSONS[2].encode().replace(b",", b"\0,", 1)])
        + b"\n",
        "persons.csv:3:",
        "NUL",
        id="nul-byte",
    ),
    pytest.param(
        b"\n".join(
            [PERSONS[0].encode(), GOOD_LINE, b"0045678911,%s,x,1990-01-01,M,," % (b"a" * 200_000)]
        )
        + b"\n",
        "persons.csv:3:",
        "131072",
        id="field-over-the-limit",
    ),
]


@pytest.mark.parametrize(("content", "where", "mentions"), BAD_FILES)
def test_an_unreadable_file_is_reported_and_writes_nothing(app, registry, content, where, mentions):
    write_family(registry)
    assert registry.load().exit_code == 0
    before = table_contents(app)
    registry.clear()
    (registry.directory / "persons.csv").write_bytes(content)
    result = registry.load()
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("persons.csv")]
    assert len(errors) == 1 and errors[0].startswith(where), result.stderr
    assert mentions in errors[0]
    assert table_contents(app) == before


def test_a_utf8_byte_order_mark_is_welcome(app, registry):
    (registry.directory / "persons.csv").write_bytes(
        b"\xef\xbb\xbf" + ("\n".join(PERSONS) + "\n").encode()
    )
    result = registry.load()
    assert result.exit_code == 0, result.stderr
    assert len(table_contents(app)["person"]) == 3
