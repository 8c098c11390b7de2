"""The few ARM template expressions aibcheck resolves itself: parameters(), variables(), concat(), format().

Anything else (resourceGroup(), reference(), ...) is reported by path so the user can pass a value.
"""

import re
from collections.abc import Mapping
from typing import Any

_CALL = re.compile(r"^(\w+)\((.*)\)$", re.DOTALL)


class Unresolved(Exception):
    """An expression this resolver does not handle."""


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


def resolve(value: Any, parameters: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
    """The value of one string; non-expressions come back unchanged ("[[" escapes a literal "[")."""
    if not isinstance(value, str):
        return value
    if value.startswith("[["):
        return value[1:]
    if not is_expression(value):
        return value
    return _evaluate(value[1:-1].strip(), parameters, variables)


def _evaluate(text: str, parameters: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    match = _CALL.match(text)
    if not match:
        raise Unresolved(text)
    function, arguments = match.group(1).lower(), [_evaluate(a, parameters, variables) for a in _split(match.group(2))]
    if function == "parameters" and len(arguments) == 1:
        if arguments[0] not in parameters:
            raise Unresolved(f"parameters('{arguments[0]}') has no value")
        return resolve(parameters[arguments[0]], parameters, variables)
    if function == "variables" and len(arguments) == 1:
        if arguments[0] not in variables:
            raise Unresolved(f"variables('{arguments[0]}') is not defined")
        return resolve(variables[arguments[0]], parameters, variables)
    if function == "concat":
        return "".join(str(a) for a in arguments)
    if function == "format" and arguments:
        return re.sub(r"\{(\d+)\}", lambda m: str(arguments[1 + int(m.group(1))]), str(arguments[0]))
    raise Unresolved(text)


def _split(arguments: str) -> list[str]:
    """Split a function's arguments at top-level commas (not inside quotes or parentheses)."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in arguments:
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "(":
            depth += 1
        elif not quoted and char in ")":
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            parts.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        parts.append(current.strip())
    return parts
