"""The redaction engine: linear-time patterns, secrets over several lines, cut lines, and healthy logs untouched."""

import gzip
import importlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
import re2
from synthlog import FAILURES, OPERATION, write_build

from aibcheck import redact as engine
from aibcheck.diagnose import diagnose_bytes
from aibcheck.diagnose.scan import MAX_LINE_WINDOW
from aibcheck.redact import MASK, LineRedactor, redact, redact_excerpt
from aibcheck.redact_rules import RULES

ROOT = Path(__file__).resolve().parents[2]
OUT = f"{OPERATION} PACKER OUT     azure-arm: "
NOTE = (
    f"{OPERATION} PACKER ERR 2026/03/04 10:04:50 packer-provisioner-shell plugin: [INFO] 64 bytes written for 'stdout'"
)
KEY_LINES = [
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "9Wlq0E8m1Yd8nY6pGQ==",
]


def test_every_rule_compiles_under_re2_and_runs_in_linear_time() -> None:
    assert len(RULES) >= 40 and len({rule.kind for rule in RULES}) == len(RULES)
    for rule in RULES:
        re2.compile(rule.pattern)  # raises on anything RE2 cannot run in linear time (backreferences, lookaround)
        assert rule.keywords == tuple(k.lower() for k in rule.keywords), rule.kind
    assert all(isinstance(pattern, type(re2.compile("x"))) for pattern in engine.PATTERNS)


def _repeats(pattern: str) -> bool:
    """Whether Python's own parse of the pattern holds a repetition (*, +, ?, {m,n}) anywhere."""
    parser: Any = importlib.import_module("re._parser")

    def walk(items: Any) -> bool:
        for op, arg in items:
            if op in (parser.MAX_REPEAT, parser.MIN_REPEAT):
                return True
            children = arg[-1:] if op is parser.SUBPATTERN else arg[1] if op is parser.BRANCH else []
            if any(walk(child) for child in children if isinstance(child, parser.SubPattern)):
                return True
        return False

    return bool(walk(parser.parse(pattern)))


def test_the_one_python_pattern_has_fixed_width() -> None:
    """A pattern without repetition tries a bounded number of steps at each position: linear time."""
    assert not _repeats(engine.ESCAPE.pattern)
    assert _repeats(r"a(?:b|c+)") and _repeats(r"x*")  # the check itself sees repetition where there is some


@pytest.mark.parametrize(
    "text",
    [
        "password=" * 30000,
        '\\"' * 100000,
        "net user " * 20000,
        "x" * 200000 + "password=",
        " " * 200000 + "sig=",
        "eyJaaaaa." * 20000,
        "-----BEGIN RSA PRIVATE KEY-----" * 5000,
        '{"a": "' * 30000,
        "docker login " * 20000,
        "%2525" * 40000,
        "&quot;`\"" * 20000,
    ],
    ids=["names", "escapes", "net-user", "long-run", "spaces", "jwt-ish", "pem-ish", "json", "docker", "url", "html"],
)
def test_adversarial_lines_finish(text: str) -> None:
    """Quadratic rules took seconds on lines a tenth this long; these end in a fraction of a second."""
    assert len(redact(text)) <= len(text) + len(MASK) * text.count(" ") + len(MASK)


def _stream(lines: list[str]) -> list[str]:
    redactor = LineRedactor()
    return [redactor.feed(line) for line in lines]


def test_a_private_key_is_masked_to_its_end_line_through_interleaved_packer_lines() -> None:
    lines = [f"{OUT}-----BEGIN RSA PRIVATE KEY-----"]
    for body in KEY_LINES:
        lines += [f"{OUT}{body}", NOTE]
    lines += [f"{OUT}-----END RSA PRIVATE KEY-----", f"{OUT}Done"]
    out = _stream(lines)
    assert all(body not in "\n".join(out) for body in KEY_LINES)
    assert out[1] == f"{OUT}{MASK}" and out[2] == NOTE, "the prefix and Packer's own lines stay"
    assert out[-2:] == lines[-2:], "masking stops at the END line"


def test_a_key_without_its_end_line_stops_being_masked_eventually() -> None:
    out = _stream(["-----BEGIN PRIVATE KEY-----", *["QUJD" * 16] * engine.PEM_MAX_LINES, "next step"])
    assert out[-2] == MASK and out[-1] == "next step"


def test_a_sas_signature_wrapped_onto_the_next_line() -> None:
    head, tail = "Abc%2Bdef123ghIJK", "lmn%2Fopq456rstUVWxyz012345%3D"
    out = _stream([f"{OUT}Get https://a.blob.core.windows.net/c/x?sv=2022-11-02&sig={head}", NOTE, f"{OUT}{tail} done"])
    assert head not in out[0] and tail not in out[2] and out[2] == f"{OUT}{MASK} done"


def test_a_wrapped_signature_whose_rest_follows_other_words_on_the_next_line() -> None:
    head, tail = "AbCdEfGhIjKlMnOpQrSt", "DtkwtDDb+xHKas1VOqg6%3D"
    error = f"{OUT}Script exited with non-zero exit status: 100. "
    out = _stream([f"{error}Downloading https://a.blob.core.windows.net/c/f?sv=2022-11-02&sig={head}", f"{error}{tail} x"])
    assert head not in out[0] and tail[:20] not in out[1] and out[1].endswith(f"{MASK} x")


def test_a_whole_sas_at_the_end_of_a_line_leaves_the_next_line_alone() -> None:
    sig = "Abc%2Bdef123ghIJKlmn%2Fopq456rstUVWxyz0123456%3D"
    out = _stream([f"x?sv=2022-11-02&sig={sig}", "Downloaded 3 files"])
    assert out == ["x?sv=***&sig=***", "Downloaded 3 files"]


def test_a_value_on_the_line_after_its_secret_name() -> None:
    out = redact('"adminPassword": {\n  "value": "Tr0ub4dor&3x"\n},\n"adminUsername": {\n  "value": "builder"\n}')
    assert "Tr0ub4dor" not in out and '"value": "builder"' in out


@pytest.mark.parametrize(
    ("written", "secret"),
    [
        ("redirect=https%3A%2F%2Fa%2Fb%3Fpassword%3DHq8Vt2Lm9Xz4%26x%3D1", "Hq8Vt2Lm9Xz4"),
        ("&lt;Password&gt;Hq8Vt2Lm9Xz4&lt;/Password&gt;", "Hq8Vt2Lm9Xz4"),
        ("{&quot;clientSecret&quot;: &quot;Hq8Vt2Lm9Xz4&quot;}", "Hq8Vt2Lm9Xz4"),
        ('-Body "{`"password`": `"Hq8Vt2Lm9Xz4`"}"', "Hq8Vt2Lm9Xz4"),
    ],
    ids=["url", "xml-in-html", "json-in-html", "powershell"],
)
def test_secrets_behind_other_escapes(written: str, secret: str) -> None:
    out = redact(written)
    assert secret not in out and MASK in out


def test_secrets_in_json_escapes_are_masked_where_they_are_written() -> None:
    line = 'body: {\\"password\\":\\"Xk9mQ2vR7p\\"} key \\u0022' + "Ab+" * 28 + "cd==\\u0022 done"
    escaped = line.replace("+", "\\u002B")
    out = redact(escaped)
    assert "Xk9mQ2vR7p" not in out and "Ab\\u002BAb" not in out and out.endswith("\\u0022 done")


def test_a_cut_keeps_no_piece_of_a_secret_whose_name_was_cut_off() -> None:
    key = "Zx" * 43 + "=="
    raw = ("filler " * 200 + f"--account-key {key} " + "more " * 400).encode()
    at = raw.index(b"--account-key") + len(b"--account-key ") + 30  # the cut falls inside the key
    excerpt = redact_excerpt(raw, at, at + 100).decode()
    assert excerpt.startswith(MASK) and key[30:38] not in excerpt


def test_a_long_line_cut_by_the_scanner_keeps_no_secret() -> None:
    password = "Hq8Vt2Lm9Xz4Wp7KcR3s"
    head = "x " * 600 + f"install --password {password}"
    keyword_at = head.index(password) + 6 + MAX_LINE_WINDOW  # the scanner keeps 1 KiB either side of its keyword
    line = head + " " * (keyword_at - len(head)) + "QuotaExceeded: quota exceeded " + "z " * 900
    assert password[6:14] in line[keyword_at - MAX_LINE_WINDOW : keyword_at + MAX_LINE_WINDOW], "the cut is inside"
    assert "--password" not in line[keyword_at - MAX_LINE_WINDOW : keyword_at + MAX_LINE_WINDOW]
    diagnosis = diagnose_bytes(line.encode(), "pasted.txt")
    assert diagnosis.evidence and all(password[6:14] not in e.text for e in diagnosis.evidence)
    assert diagnosis.evidence[0].text.startswith(MASK)


HEALTHY = """Get:1 http://azure.archive.ubuntu.com/ubuntu jammy-updates/main amd64 libssl3 amd64 3.0.2-0ubuntu1.15 [1903 kB]
Unpacking passwd (1:4.8.1-2ubuntu2.2) over (1:4.8.1-2ubuntu2.1) ...
Preparing to unpack .../passwd_1%3a4.8.1-2ubuntu2.2_amd64.deb ...
"sha256Checksum": "2a0f0a5e1b6c7d8e9f00112233445566778899aabbccddeeff00112233445566",
"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-img/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022"
ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA9tq3d3QqJpM8Hn7KZQ7ZpKqVQy5Tb2xQ2nJmVYQJgk5v8sXgZ1O1bX9m2VJ3s0nH6M8kPpQ1m1yE0Zl5oYF3V3a2Zr9yH7tL2 builder@host
Certificate thumbprint: 3F2504E04F8911D39A0C0305E82C3301A2B3C4D5
customData: I2Nsb3VkLWNvbmZpZwpwYWNrYWdlX3VwZ3JhZGU6IHRydWUKcGFja2FnZXM6CiAgLSBuZ2lueAo=
Downloading update KB5034441 (2026-03) Cumulative Security update for Windows Server 2022 45 percent complete
==> azure-arm: Getting tokens using Managed Identity for Azure
packer-plugin-azure plugin: Azure request method="GET" request="https://management.azure.com/subscriptions/0/operationStatuses/08584?[REDACTED]" body=""
azure-arm: The password must be at least 12 characters long
azure-arm: Enter password:
apt-key adv --keyserver keyserver.ubuntu.com --recv-keys 0xABCDEF1234567890
gpg: key 0x1234ABCD: public key "Microsoft (Release signing) <gpgsecurity@microsoft.com>" imported
{"key": "owner", "value": "images-team"}
Password last set            3/4/2026 10:00:00 AM
net user builder /active:yes
powershell -ExecutionPolicy Bypass -File C:\\Windows\\Temp\\script.ps1
Set-ItemProperty -Path HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon -Name AutoAdminLogon -Value 1
git clone git@github.com:contoso/images.git
export http_proxy=http://proxy.contoso.com:3128/
Invoke-WebRequest -Uri https://aka.ms/downloadazcopy-v10-windows -OutFile azcopy.zip -UseBasicParsing
Basic Authentication is disabled on this feed
Authorization: Bearer [REDACTED]
npm WARN tarball data for x@1.0.0 (sha512-kq6bkvtmfs0nAEEv5zsZGU9pPcOt9fAjNnGnMS2pA5GoYy6HRAhzMhtbrdr3IsVS+3UnkQkSOhNS5Zp1Z+pMkQ==) seems to be corrupted.
az vm create -n vm1 --image Ubuntu2204 --authentication-type password --generate-ssh-keys
New-LocalUser -Name builder -NoPassword -PasswordNeverExpires
"tokenType": "Bearer", "expiresIn": 3599
msbuild app.sln /p:Configuration=Release /p:Platform=x64
Status code: 403, Message: This request is not authorized to perform this operation using this permission.
cat /etc/passwd | grep builder
""".splitlines()


def test_ordinary_lines_pass_unchanged() -> None:
    assert [line for line in HEALTHY if redact(line) != line] == []


def _healthy_inputs() -> dict[str, str]:
    texts = {}
    for failure in FAILURES:
        buffer = io.StringIO()
        write_build(buffer, failure, size_bytes=1 << 20 if failure == "none" else 0)
        texts[f"synthlog {failure}"] = buffer.getvalue()
    for path in sorted((ROOT / "tests" / "corpus").glob("*/input*")):
        data = path.read_bytes()
        data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        texts[path.parent.name] = data.decode(
            "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8", "replace"
        )
    return texts


def test_healthy_logs_and_the_corpus_are_left_alone() -> None:
    changed = [
        f"{name}:{number}: {line[:160]}"
        for name, text in _healthy_inputs().items()
        for number, line in enumerate(text.splitlines(), start=1)
        if redact(line) != line
    ]
    assert len(changed) <= 5, "\n".join(changed)


def test_redact_is_idempotent() -> None:
    once = redact("\n".join([*HEALTHY, "password=Hq8Vt2 sig=abc%2F AccountKey=" + "Zx" * 43 + "=="]))
    assert redact(once) == once and re.search(r"\*\*\*", once)
