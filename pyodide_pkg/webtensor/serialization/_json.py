"""json.loads with bounds checked before parsing: Python's json recurses once per nesting level,
and inside Pyodide a few thousand levels overflow the JavaScript stack (a fatal error, not an
exception), so nesting deeper than serde_json's limit (128, what `safetensors` and HF
`tokenizers` accept) is refused by a scan first."""
import json
import re
from array import array
from itertools import accumulate

MAX_DEPTH = 128
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')   # brackets inside strings do not nest
_NOT_BRACKET = re.compile(r'[^\[\]{}]+')
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")   # as int8: +1, -1


def too_deep(text, limit=MAX_DEPTH):
    """True if JSON text nests deeper than `limit`: a running sum over the brackets outside
    strings (+1 open, -1 close), all in C-speed passes."""
    if text.count("[") + text.count("{") <= limit:    # cannot nest deeper than it opens
        return False
    b = _NOT_BRACKET.sub("", _STRING.sub("", text)).encode().translate(_STEP)
    return max(accumulate(array("b", b)), default=0) > limit


def loads(text, error, what, limit=MAX_DEPTH):
    """json.loads(text), raising `error` (a LoadError class) for invalid or too deep JSON."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise error(f"{what} is not valid UTF-8: {e}") from None
    if too_deep(text, limit):
        raise error(f"{what} nests deeper than {limit} levels (or its brackets do not pair up)")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as e:
        raise error(f"{what} is not valid JSON: {e}") from None
