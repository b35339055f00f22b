"""The fast canonical-JSON path is byte-identical to RFC 8785 (the `rfc8785` package).

Checked on the RFC's own examples (section 3.2.2, 3.2.3 and the Appendix B number table),
on every example bundle and input, on ledger records, and on generated JSON values.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
import rfc8785
from conftest import EXAMPLES, example_inputs
from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.canonical import CanonicalJson, canonical_bytes

# RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript serialisation.
NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("bits", "text"), NUMBERS)
def test_rfc_appendix_b_numbers(bits: str, text: str) -> None:
    value = struct.unpack(">d", bytes.fromhex(bits))[0]
    assert canonical_bytes(value) == text.encode() == rfc8785.dumps(value)


def test_rfc_section_3_2_2_example() -> None:
    document = json.loads(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        r' "string": "\u20ac$\u000F\u000aA' "'" r'\u0042\u0022\u005c\\\"\/",'
        ' "literals": [null, true, false]}'
    )
    expected = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,'
                '1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}').encode()
    assert canonical_bytes(document) == expected == rfc8785.dumps(document)


def test_rfc_section_3_2_3_sorts_by_utf16_code_units() -> None:
    document = json.loads(
        r'{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet",'
        r' "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",'
        r' "\u00f6": "Latin Small Letter O With Diaeresis"}'
    )
    keys = list(json.loads(canonical_bytes(document)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert canonical_bytes(document) == rfc8785.dumps(document)


@pytest.mark.parametrize("value", [2**53, -(2**53), float("nan"), float("inf"), {1: "x"},
                                   "\ud800", ("a", 1)])
def test_outside_plain_json_behaves_as_the_reference(value: Any) -> None:
    try:
        expected: bytes | type[BaseException] = rfc8785.dumps(value)
    except Exception as error:
        expected = type(error)
    if isinstance(expected, bytes):
        assert canonical_bytes(value) == expected
    else:
        with pytest.raises(expected):
            canonical_bytes(value)


def test_every_example_bundle_and_input_is_identical() -> None:
    for path in EXAMPLES.glob("*/bundle.json"):
        document = json.loads(path.read_text())
        assert canonical_bytes(document) == rfc8785.dumps(document), path
    for name, document in example_inputs().items():
        assert canonical_bytes(document) == rfc8785.dumps(document), name


@pytest.mark.parametrize("name", sorted(example_inputs()))
@pytest.mark.parametrize("memo", [None, {}], ids=["parsed", "remembered"])
def test_a_json_text_view_gives_the_canonical_whole_member_and_rest(
    name: str, memo: dict[str, bytes] | None
) -> None:
    document = example_inputs()[name]
    for text in (json.dumps(document), json.dumps(document, indent=1, ensure_ascii=True),
                 json.dumps(document)):  # the last one meets what the memo remembered
        view = CanonicalJson(text.encode(), memo)
        assert view.whole == rfc8785.dumps(document)
        assert view.member("bundle") == rfc8785.dumps(document["bundle"])
        assert view.member("absent") is None
        rest = {k: v for k, v in document.items() if k != "context"}
        assert view.without(("context",)) == rfc8785.dumps(rest)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.text(alphabet=st.characters(codec="utf-8")),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(alphabet=st.characters(codec="utf-8"), max_size=6), children,
                      max_size=5),
    max_leaves=30,
)


@settings(max_examples=600, deadline=None)
@given(value=JSON_VALUES)
def test_generated_values_are_identical(value: Any) -> None:
    assert canonical_bytes(value) == rfc8785.dumps(value)


@pytest.mark.parametrize("text", ["[1]", '"x"', "{} x", '{"a" 1}', '{"a":1,}', '{"a":1 "b":2}',
                                  "{", '{"a":}', '{1:2}'])
def test_a_text_that_is_not_one_json_object_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        CanonicalJson(text, {})
    with pytest.raises(ValueError):
        CanonicalJson(text)


def test_duplicate_keys_read_as_json_loads_reads_them() -> None:
    text = '{"a": 1, "b": [2], "a": {"z": 1.0, "y": "' + "w" * 2000 + '"}}'
    assert CanonicalJson(text, {}).whole == rfc8785.dumps(json.loads(text))


MEMO = st.sampled_from([None, "shared"])
_SHARED: dict[str, bytes] = {}


@settings(max_examples=600, deadline=None)
@given(value=st.dictionaries(st.text(alphabet=st.characters(codec="utf-8"), max_size=6),
                             JSON_VALUES, max_size=6),
       memo=MEMO, indent=st.sampled_from([None, 1]))
def test_generated_json_texts_view_identically(
    value: dict[str, Any], memo: str | None, indent: int | None
) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    view = CanonicalJson(text.encode(), _SHARED if memo else None)
    assert view.whole == rfc8785.dumps(value)
    for key in value:
        assert view.member(key) == rfc8785.dumps(value[key])
        rest = {k: v for k, v in value.items() if k != key}
        assert view.without((key,)) == rfc8785.dumps(rest)


@settings(max_examples=300, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False)
       | st.sampled_from([1e-7, 1e-6, 1e-5, 1e16, 1e21, 1e22, 0.1 + 0.2, 5e-324, -1e-7]))
def test_generated_floats_are_identical(value: float) -> None:
    assert canonical_bytes(value) == rfc8785.dumps(value)
