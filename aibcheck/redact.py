"""Remove secrets from text before it is shown anywhere.

Lines reaching here are bounded in length (the scanner cuts them), so these patterns run on short
strings; each is written without nested quantifiers so that none can backtrack badly.
"""

import re

MASK = "***"

_SAS_PARAMS = (
    "sig|se|st|sp|sv|sr|spr|srt|ss|sip|skoid|sktid|skt|ske|sks|skv|sdd|saoid|suoid|scid"
    "|rscc|rscd|rsce|rscl|rsct|code|token|access_token|client_secret"
)

_SECRET_NAMES = (
    r"[\w.-]*(?:password|passwd|pwd|secret|token|apikey|api[_-]key|account[_-]?key|access[_-]?key"
    r"|private[_-]?key|sas[_-]?key)|\bkey"
)

_RULES: list[tuple[re.Pattern[str], str]] = [
    # A SAS signature wherever it stands, even outside a query string.
    (re.compile(r"\b(sig=)[^&\s\"'<>;]+", re.IGNORECASE), rf"\g<1>{MASK}"),
    # SAS and other credential query parameters: ?sv=...&sig=...
    (re.compile(rf"([?&;](?:{_SAS_PARAMS})=)[^&\s\"'<>;]+", re.IGNORECASE), rf"\g<1>{MASK}"),
    # Connection-string members.
    (
        re.compile(
            r"\b((?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)=)[^;\s\"']+",
            re.IGNORECASE,
        ),
        rf"\g<1>{MASK}",
    ),
    # Authorization headers and bare JWTs.
    (re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE), rf"\g<1> {MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), MASK),
    # key=value and key: value secrets: password=x, client_secret: "x", "apiKey": "x".
    (
        re.compile(
            rf"((?:{_SECRET_NAMES})\"?\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;\"'}})]+)",
            re.IGNORECASE,
        ),
        rf"\g<1>{MASK}",
    ),
    # Command-line flags followed by their value: --password x, -Password 'x'.
    (
        re.compile(rf"((?:^|\s)--?[\w-]*(?:{_SECRET_NAMES})\s+)(\"[^\"]*\"|'[^']*'|[^\s\"']+)", re.IGNORECASE),
        rf"\g<1>{MASK}",
    ),
    # ConvertTo-SecureString 'plain' -AsPlainText
    (
        re.compile(r"(ConvertTo-SecureString\s+(?:-String\s+)?)(\"[^\"]*\"|'[^']*'|\S+)", re.IGNORECASE),
        rf"\g<1>{MASK}",
    ),
    # Storage account keys: 88 base64 characters ending in ==.
    (re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])"), MASK),
    # user:password@host in URLs.
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@", re.IGNORECASE), rf"\g<1>{MASK}@"),
]


def redact(text: str) -> str:
    """Return text with every known kind of secret replaced by ***."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
