"""Rows of numbers are read without YAML (source/positioned.py): the values and positions must be
exactly those YAML gives, whatever the row looks like, and anything else must still go to YAML."""
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from generator.source import positioned
from generator.source.positioned import YamlError, load


def by_yaml(text: str):
    return _outcome(lambda: positioned._load(text, 2, {}))


def by_load(text: str):
    return _outcome(lambda: load(text, 2))


def _outcome(read):
    try:
        out = read()
    except YamlError as exc:
        return "error", exc.message, exc.pos, exc.rule
    # repr: 1 == Decimal("1.0") == True, but the types and digits must match too
    return repr(out.data), out.values, out.keys


ITEMS = st.sampled_from(["0", "7", "-3", "-0", "12", "012", "0.5", "14.64", "1.50", "-2.25", "1e3", ".5",
                         "+4", "1_000", "null", "~", "Null", "abc", "0x1F", "1.", "", "'3'", "true",
                         # YAML 1.1 numbers the archive refuses, and the bounds (positioned.MAX_INT, MAX_DECIMALS)
                         "010", "0x10", "0o7", "0b11", "1:03", "1:03.5", "1.5e+3", ".inf", "-.nan", "1" + "0" * 30,
                         "1000000000000", "1000000000001", "-1000000000000", "9" * 13, "0.123456", "0.1234567",
                         "2016-02-30", "2016-02-03"])
SPACE = st.sampled_from(["", " ", "  "])


@st.composite
def number_row(draw):
    items = draw(st.lists(ITEMS, max_size=8))
    seps = [draw(SPACE) + "," + draw(SPACE) for _ in items[1:]]
    inner = "".join(item + sep for item, sep in zip(items, seps + [""]))
    tail = draw(st.sampled_from(["", " ", "  # 注", "\r"]))
    return f"  {draw(st.sampled_from(['new', 'a_1', 'x']))}:{draw(st.sampled_from([' ', '   ']))}" \
           f"[{draw(SPACE)}{inner}{draw(SPACE)}]{tail}"


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(number_row(), min_size=1, max_size=4, unique_by=lambda r: r.split(":")[0]))
def test_number_rows_load_as_yaml_loads_them(rows):
    text = "title: 某报告\napplications:\n" + "\n".join(rows) + "\n"
    assert by_load(text) == by_yaml(text)


def test_a_row_inside_a_block_scalar_stays_text():
    text = "note: |\n  new: [1, 2]\nt:\n  new: [3, 4]\n"
    assert load(text).data == {"note": "new: [1, 2]\n", "t": {"new": [3, 4]}}
    assert by_load(text) == by_yaml(text)


def test_errors_are_reported_from_the_text_as_written():
    for text in ("t:\n  new: [1, 2]\n  new: [3, 4]\n",  # duplicate key
                 "t:\n  new: [1, 2]\n\told: [1]\n",  # tab
                 "t:\n  new: [1, 2\n"):  # unclosed
        outcome = by_load(text)
        assert outcome[0] == "error" and outcome == by_yaml(text)


def test_positions_point_at_each_number():
    text = "t:\n  new:  [10,  -2, 3.5]\n"
    assert positioned._number_rows(text)[0], "the row is read without YAML"
    out = load(text)
    assert out.data == {"t": {"new": [10, -2, Decimal("3.5")]}}
    assert [out.values[("t", "new", i)] for i in range(3)] == [
        positioned.Pos(2, 10), positioned.Pos(2, 15), positioned.Pos(2, 19)]


def test_yaml_1_1_numbers_stay_text_and_bounds_hold():
    """010 is not 8, 0x10 not 16, 1:03 not 63: they stay as written, for the checks to name."""
    for text in ("010", "0x10", "1:03", "1_000", "1.5e+3", ".inf", "1" + "0" * 30, "1000000000001",
                 "0.1234567", "9" * 5000):
        assert load(f"t:\n  new: [{text}]\nx: {text}\n").data == {"t": {"new": [text]}, "x": text}
    assert load("a: [1000000000000, -1000000000000, 0.123456, +4, -0]").data == {
        "a": [10 ** 12, -10 ** 12, Decimal("0.123456"), 4, 0]}
