"""What a secret looks like in a build log: one RE2 pattern per form, with the words that must be near it.

Every capture group of a pattern is a secret to mask (the whole match when it has none). Patterns are RE2
syntax, so each runs in time linear in the text whatever the text is; the checks below look only at the
matched span and its two neighbours.
"""

from collections.abc import Callable
from dataclasses import dataclass

import re2

# A check sees (text, start, end) of a secret span and returns the span to mask, or None for no secret.
Check = Callable[[str, int, int], "tuple[int, int] | None"]

_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_PLACEHOLDERS = frozenset(
    ("null", "none", "true", "false", '""', "''", "{", "[", "{}", "[]", "[redacted]", "<redacted>")
)
_NEXT_MEMBER = re2.compile(r"[;,&][A-Za-z_][\w .-]{0,40}=")


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: str
    keywords: tuple[str, ...] = ()  # lower-case; the rule runs only on text that holds one (none: always)
    check: Check | None = None


def _placeholder(found: str) -> bool:
    """No value (null, {}), or one masked already (***, [REDACTED])."""
    return found.strip("*") == "" or found.lower() in _PLACEHOLDERS


_SPACED_MEMBER = re2.compile(r"((?:[ \t]+[^\s;=\"'<>]+){1,8});")


def value(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A named value: not a placeholder or an earlier mask; a bare one ends before the next `;Name=` member."""
    found = text[start:end]
    if _placeholder(found):
        return None
    if found[0] in "\"'":
        return start, end
    member = _NEXT_MEMBER.search(found, 1)
    if member is not None:
        end = start + member.start()
    elif found[-1] in ";," and len(found) > 1:  # the end of a connection-string member or a list item
        end -= 1
    else:
        # A connection-string member's value may hold spaces ("Password=two words;"): it runs on to the ";".
        spaced = _SPACED_MEMBER.match(text, end)
        if spaced is not None:
            end = spaced.end(1)
    trailing = found[len(found.rstrip(")]}")) :][-3:]  # closing brackets of the code around the value
    unopened = {closer for closer, opener in zip(")]}", "([{", strict=True) if opener not in found}
    while trailing and trailing[-1] in unopened and end - start > 1:
        trailing, end = trailing[:-1], end - 1
    return start, end


def not_a_path(text: str, start: int, end: int) -> tuple[int, int] | None:
    """PWD=/home/user is the working directory, not a password."""
    return None if text[start] in "/~$" else value(text, start, end)


def looks_random(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Credentials are long or mix cases, digits and symbols; "Basic Authentication" is a word."""
    found = text[start:end]
    if _placeholder(found):
        return None
    rest = found[1:]
    mixed = any(c.islower() for c in rest) and any(c.isupper() for c in rest)
    symbols = any(c.isalpha() for c in found) and any(not c.isalpha() for c in found)
    return (start, end) if mixed or symbols or len(found) >= 16 else None


def long_value(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A value named only "key" is a secret when it is long: {"key": "owner"} is a tag."""
    found = value(text, start, end)
    return found if found is not None and found[1] - found[0] >= 16 else None


def base64_key(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A key is the whole base64 run, not the end of a longer one."""
    if (start > 0 and text[start - 1] in _B64) or (end < len(text) and text[end] in _B64 | {"="}):
        return None
    if text[max(0, start - 7) : start].lower() in ("sha512-", "sha384-"):
        return None  # a package's integrity checksum
    return start, end


def entra_secret(text: str, start: int, end: int) -> tuple[int, int] | None:
    """An Entra ID client secret: 3 characters, a digit, Q~, then 31 to 34 more (40 in all)."""
    found = text[start:end]
    at = found.find("Q~")
    return (start, end) if 37 <= len(found) <= 48 and at >= 4 and found[at - 1].isdigit() else None


# -- building blocks -------------------------------------------------------------------------------------------------
_DQ = r'"[^"\n]*(?:"|$)'  # an unclosed quote runs to the end of the line
_SQ = r"'[^'\n]*(?:'|$)"
VALUE = rf"""(?:{_DQ}|{_SQ}|[^\s"'<>]+)"""
_VALUE_NOT_FLAG = rf"""(?:{_DQ}|{_SQ}|[^\s"'<>\-|][^\s"'<>]*)"""
_NOT_SWITCH = rf"""(?:{_DQ}|{_SQ}|[^\s"'<>/*\-|][^\s"'<>]*)"""
_SECRET_WORDS = (
    r"password|passwd|passphrase|secret|token|api[_.-]?key|apikey|access[_.-]?key|account[_.-]?key|storage[_.-]?key"
    r"|private[_.-]?key|sas[_.-]?key|shared[_.-]?access[_.-]?(?:key|signature)|subscription[_.-]?key"
    r"|functions?[_.-]?key|host[_.-]?key|master[_.-]?key|client[_.-]?key|signing[_.-]?key|encryption[_.-]?key"
    r"|auth[_.-]?key|connection[_.-]?string|credentials?|secret[_.-]?(?:access[_.-]?)?key"
)
_NAME = rf"(?:[\w.-]*(?:{_SECRET_WORDS})|[\w.-]*[_.-]pass|\b_?auth)"  # DB_PASS, admin.pass; not bypass
_ASSIGN = r"""["']?\s*(?:=>|:=|[=:])\s*(?:\{\s*["']?value["']?\s*:\s*)?"""
_SAS_PARAMS = (
    r"sig|se|st|sp|sv|sr|spr|srt|ss|sip|skoid|sktid|skt|ske|sks|skv|sdd|saoid|suoid|scid"
    r"|rscc|rscd|rsce|rscl|rsct|code|token|access_token|client_secret|api_key|apikey|key"
)
_PIPED_INTO = (
    r"(?:(?:sudo\s+(?:-\S+\s+)*)?(?:chpasswd|passwd|ConvertTo-SecureString|(?:docker|podman|nerdctl)\s+login"
    r"|helm\s+registry\s+login|openssl\s+passwd|mkpasswd)\b|sudo\s+-S\b)"
)
_PASSWORD_FLAG_COMMANDS = (
    r"(?:docker|podman|nerdctl|buildah|skopeo|oras)\s+login|helm\s+registry\s+login|az\s+(?:acr\s+)?login"
    r"|sshpass|psexec(?:64)?(?:\.exe)?|dotnet\s+nuget\s+(?:add|update)\s+source|choco\s+source\s+add"
    r"|use(?:radd|rmod)|certutil(?:\.exe)?"
)
# a GitHub token's start that ends the line: a console wrapped the rest onto the next one
CUT_GITHUB_TOKEN = r"\b(?:gh[pousr]_[A-Za-z0-9]{8,35}|github_pat_[A-Za-z0-9_]{8,21})\s*$"
PEM_BEGIN = r"-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----"
PEM_END = r"-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----"

RULES: tuple[Rule, ...] = (
    # -- Azure ------------------------------------------------------------------------------------------------------
    Rule("sas-signature", r"(?i)\bsig(?:=|%3D)([^&\s\"'<>;\\]+)", ("sig",)),
    Rule("sas-parameter", rf"(?i)(?:[?&;]|%26)(?:{_SAS_PARAMS})(?:=|%3D)([^&\s\"'<>;\\]+)", ("=",)),
    Rule("storage-key", r"[A-Za-z0-9+/]{86}==", ("==",), base64_key),
    Rule(
        "azure-identifiable-key",
        r"[A-Za-z0-9+/_-]{30,90}(?:AzFu|\+ASt|\+ASb|\+AEh|ACDb|\+ARm|APIM|AzCa|AIoT|\+AMC)[A-Za-z0-9+/_-]{5}[AQgw]==?"
        r"|\b[A-Za-z0-9+/]{42}(?:AzSe|\+ACR)[A-D][A-Za-z0-9]{5}\b",
        ("azfu", "+ast", "+asb", "+aeh", "acdb", "+arm", "apim", "azca", "aiot", "+amc", "azse", "+acr"),
        base64_key,
    ),
    Rule("entra-client-secret", r"[A-Za-z0-9_~.-]*[0-9]Q~[A-Za-z0-9_~.-]*", ("q~",), entra_secret),
    Rule("azure-devops-pat", r"\b[a-z2-7]{52}\b"),
    Rule("azure-devops-pat-new", r"\b[A-Za-z0-9]{52}JQQJ[A-Za-z0-9]{28}\b", ("jqqj",)),
    Rule("jwt", r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*", ("eyj",)),
    Rule(
        "keyvault-secret-value",
        rf"(?i)\bkeyvault\s+secret\s+set\b[^\n|;&]*?\s--value(?:\s+|=)({VALUE})",
        ("keyvault",),
        value,
    ),
    # -- tokens with a known shape ----------------------------------------------------------------------------------
    Rule(
        "github-token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b", ("gh", "github_pat_")
    ),
    # a token's start that ends the line: the rest was wrapped onto the next one
    Rule("github-token-cut", CUT_GITHUB_TOKEN, ("gh", "github_pat_")),
    Rule("gitlab-token", r"\bgl(?:pat|rt|dt|ptt|ft|soat)-[A-Za-z0-9_-]{20,}", ("gl",)),
    Rule("slack-token", r"\bx(?:ox[abposer]|app)-[A-Za-z0-9-]{10,}", ("xox", "xapp")),
    Rule(
        "webhook-url",
        r"(?i)(?:hooks\.slack\.com/(?:services|workflows|triggers)|\.webhook\.office\.com/webhookb2"
        r"|discord(?:app)?\.com/api/webhooks)/([^\s\"'<>]+)",
        ("hooks.slack.com", "webhook.office.com", "/api/webhooks/"),
    ),
    Rule(
        "aws-access-key-id",
        r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b",
        ("a3t", "akia", "asia", "abia", "acca"),
    ),
    Rule(
        "aws-secret-key",
        r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}[\s\"',:;=|]{1,10}([A-Za-z0-9/+]{40})",
        ("a3t", "akia", "asia", "abia", "acca"),
        base64_key,
    ),
    Rule("aws-configure", r"(?i)\baws\s+configure\s+set\s+\S*(?:secret|key|token)\S*\s+(\S+)", ("aws",)),
    Rule("google-api-key", r"\bAIza[\w-]{35}\b", ("aiza",)),
    Rule("npm-token", r"\bnpm_[A-Za-z0-9]{36}\b", ("npm_",)),
    Rule("pypi-token", r"\bpypi-AgEIcHlwaS5vcmc[\w-]{40,}", ("pypi-",)),
    Rule("nuget-api-key", r"\boy2[a-z0-9]{43}\b", ("oy2",)),
    Rule("docker-hub-token", r"\bdckr_pat_[\w-]{20,}", ("dckr_pat_",)),
    Rule("jfrog-token", r"\b(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})\b", ("akcp", "cmvmd")),
    Rule("vault-token", r"\bhv[sbr]\.[\w-]{20,}", ("hvs.", "hvb.", "hvr.")),
    Rule("terraform-cloud-token", r"[A-Za-z0-9]{14}\.atlasv1\.[\w=-]{60,}", ("atlasv1",)),
    Rule(
        "ai-service-key",
        r"\b(?:sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}|sk-ant-[a-z]+\d\d-[\w-]{40,}"
        r"|hf_[A-Za-z]{34})\b",
        ("t3blbkfj", "sk-ant-", "hf_"),
    ),
    Rule("sendgrid-key", r"\bSG\.[\w-]{16,}\.[\w-]{30,}", ("sg.",)),
    Rule("databricks-token", r"\bdapi[a-f0-9]{32}(?:-\d)?\b", ("dapi",)),
    Rule("stripe-key", r"\b[rs]k_live_[A-Za-z0-9]{20,}", ("k_live_",)),
    # -- private keys -----------------------------------------------------------------------------------------------
    Rule("private-key", rf"{PEM_BEGIN}(.*?)(?:{PEM_END}|$)", ("private key",)),
    # -- HTTP authentication ----------------------------------------------------------------------------------------
    Rule(
        "authorization-header",
        r"(?i)\b(?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?(?:[A-Za-z-]+\s+)?([^\s\"',;]{4,})",
        ("authorization",),
        looks_random,
    ),
    Rule("bearer-token", r"(?i)\b(?:bearer|basic)\s+([A-Za-z0-9._~+/=-]{8,})", ("bearer", "basic"), looks_random),
    Rule("url-credentials", r"(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@\"'<>]*:([^\s@/\"'<>]+)@", ("://",)),
    # the same cut where a console wrapped it, before the @: user:secret ends the line (a port has no letter)
    Rule(
        "url-credentials-cut",
        r"(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@\"'<>]*:([^\s@/\"'<>]*[a-z][^\s@/\"'<>]*)\s*$",
        ("://",),
    ),
    Rule(
        "curl-user",
        r"(?i)\bcurl\b[^\n|;&]*?\s(?:-u|--user|--proxy-user|-U)(?:\s+|=)(?:\"[^\":]*:([^\"]*)\"|'[^':]*:([^']*)'"
        r"|[^\s:\"']*:(\S+))",
        ("curl",),
    ),
    # -- name = value, --name value ---------------------------------------------------------------------------------
    Rule("pwd-value", rf"(?i)[\w.-]*pwd{_ASSIGN}({VALUE})", ("pwd",), not_a_path),
    Rule(
        "named-value",
        rf"(?i){_NAME}{_ASSIGN}({VALUE})",
        ("pass", "pwd", "secret", "token", "key", "credential", "auth", "connection"),
        value,
    ),
    # a value quoted right after its name, with no sign between: The client_secret "..." is invalid
    Rule(
        "named-quoted-value",
        rf"(?i){_NAME}[ \t]+({_DQ})",
        ("pass", "secret", "token", "key", "credential", "auth", "connection"),
        value,
    ),
    Rule("named-key", rf"(?i)\bkey{_ASSIGN}({VALUE})", ("key",), long_value),
    Rule(
        "named-flag",
        rf"(?i)(?:^|[\s(;|&])--?[\w-]*(?:{_SECRET_WORDS}|pwd|pass|key)(?:(?:=|:)({VALUE})|\s+({_VALUE_NOT_FLAG}))",
        ("pass", "pwd", "secret", "token", "key", "credential", "connection"),
        value,
    ),
    Rule(
        "windows-switch",
        rf"(?i)(?:^|\s)/(?:pass(?:word[DO]?)?|pwd|passwd|RP)(?::|\s+)({_VALUE_NOT_FLAG})",
        ("/pass", "/pwd", "/rp"),
        value,
    ),
    Rule(
        "xml-secret-element",
        r"(?i)<(?:\w+:)?\w*(?:password|secret|token|apikey)\w*>\s*(?:<(?:\w+:)?value>)?([^<\s][^<]*)",
        ("pass", "secret", "token", "apikey"),
    ),
    Rule(
        "xml-secret-attribute",
        r"(?i)key\s*=\s*\"[^\"]*(?:password|secret|token|apikey)[^\"]*\"\s+value\s*=\s*(\"[^\"]*\")",
        ("key",),
        value,
    ),
    # -- commands that take a password as an argument ---------------------------------------------------------------
    Rule(
        "securestring",
        rf"(?i)ConvertTo-SecureString(?:\s+-(?:AsPlainText|Force)(?::\$?\w+)?)*\s+(?:-String(?::|\s+))?({_VALUE_NOT_FLAG})",
        ("convertto-securestring",),
        value,
    ),
    Rule("piped-secret", rf"(?i)({_DQ}|{_SQ}|[^\s|\"'()]+)\s*\|\s*{_PIPED_INTO}", ("|",), value),
    Rule("here-string-secret", rf"(?i)\b(?:chpasswd|passwd)\b[^\n|]*?<<<\s*({VALUE})", ("<<<",), value),
    Rule(
        "net-user",
        rf"(?i)\bnet1?(?:\.exe)?\s+user\s+(?:/\S+\s+)*(?:{_DQ}|\S+)\s+(?:/\S+\s+)*({_NOT_SWITCH})",
        ("net",),
        value,
    ),
    Rule("net-use", rf"(?i)\bnet1?(?:\.exe)?\s+use\s+(?:[A-Z*]:\s+)?\\\\\S+\s+({_NOT_SWITCH})", ("net",), value),
    Rule(
        "password-flag",
        rf"(?i)\b(?:{_PASSWORD_FLAG_COMMANDS})\b[^\n|;&]*?\s(?-i:-p)(?:\s+|=)?({_VALUE_NOT_FLAG})",
        ("-p",),
        value,
    ),
    Rule("sqlcmd-password", rf"(?i)\b(?:sqlcmd|bcp|osql)\b[^\n|;&]*?\s(?-i:-P)\s*({_VALUE_NOT_FLAG})", ("-p",), value),
    Rule(
        "mysql-password",
        r"(?i)\b(?:mysql\w*|mariadb\w*)\b[^\n|;&]*?\s(?-i:-p)((?:\"[^\"]*\"|'[^']*'|[^\s\"'])\S*)",
        ("-p",),
        value,
    ),
    Rule(
        "api-key-flag",
        rf"(?i)\b(?:(?:dotnet\s+)?nuget\s+push|choco(?:latey)?\s+(?:push|apikey|setapikey))\b[^\n|;&]*?\s(?:-k|--key|-ApiKey)(?:\s+|=)({VALUE})",
        ("nuget", "choco"),
        value,
    ),
    Rule("smb-user-password", r"\s-U\s+[^\s%]+%(\S+)", ("%",)),
    Rule("openssl-pass", r"(?i)\s-pass(?:in|out)?\s+(?:pass|env):(\S+)", ("-pass",)),
    Rule("netrc", r"(?i)\blogin\s+\S+\s+password\s+(\S+)", ("password",)),
    Rule(
        "registry-value",
        r"(?i)-Name\s+[\"']?\w*(?:password|secret|token)\w*[\"']?\s+(?:-(?:PropertyType|Type|Path|Force)\b\S*\s+(?:\S+\s+)?)*"
        rf"-Value\s+({VALUE})|/v\s+[\"']?\w*(?:password|secret|token)\w*[\"']?\s+(?:/t\s+\S+\s+)?/d\s+({VALUE})",
        ("password", "secret", "token"),
        value,
    ),
    Rule(
        "environment-variable",
        rf"(?i)(?:SetEnvironmentVariable\s*\(\s*[\"']\w*(?:{_SECRET_WORDS})\w*[\"']\s*,\s*|\bsetx\s+\w*(?:{_SECRET_WORDS})\s+)({VALUE})",
        ("setenvironmentvariable", "setx"),
        value,
    ),
    Rule(
        "network-credential",
        rf"(?i)NetworkCredential(?:\]::new)?\s*\(\s*(?:{_DQ}|{_SQ}|[^,()]+)\s*,\s*({_DQ}|{_SQ}|[^,()\s]+)",
        ("networkcredential",),
        value,
    ),
)
