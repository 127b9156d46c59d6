"""Rows of numbers are read without YAML (source/positioned.py): the values and positions must be
exactly those YAML gives, whatever the row looks like, and anything else must still go to YAML."""
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
                         "+4", "1_000", "null", "~", "Null", "abc", "0x1F", "1.", "", "'3'", "true"])
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
    assert out.data == {"t": {"new": [10, -2, positioned._decimal("3.5")]}}
    assert [out.values[("t", "new", i)] for i in range(3)] == [
        positioned.Pos(2, 10), positioned.Pos(2, 15), positioned.Pos(2, 19)]
