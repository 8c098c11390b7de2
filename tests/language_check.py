"""Is a Chinese text free of English prose? A heuristic, explained here because tests rely on it.

English prose shows as runs of ordinary English words. First, what is not prose is taken out: code spans (`...`),
quoted text ("...", “...”, '...', 「...」: commands, role names, messages quoted from a log or from Azure) and URLs.

The rest is cut at every Chinese character and Chinese punctuation mark (each ends a run), and each piece is split
into tokens at spaces. A token is a plain word when, trimmed of , ; : . ! ? ( ) around it, it is letters only (an
English possessive 's allowed) and is neither CamelCase (an upper-case letter after the first: buildTimeoutInMinutes,
PowerShell) nor an acronym in capitals (VM, SSH, ARM). Any other token (with a digit or - _ . / \\ : = < > $ @ * { }
[ ] | #) is an identifier: a path, a flag, a property, a placeholder. Identifiers neither count nor end a run, so
"set vmProfile.vmSize to a larger size" is still a run of five words.

A command typed without backticks is not prose either: from the name of a command-line tool (az, azcopy, sudo,
apt-get, ...) up to three sub-command words are skipped, then flags, identifiers and the value after each flag;
the first other plain word ends the command (`az vm list-skus -l <location> --output table shows it` leaves
"shows it").

A run of `limit` (4) or more plain words is English prose, unless it is a name: every word capitalised or one of the
joining words for, of, and, the, on, in, to ("Azure Virtual Machine Image Builder", "Microsoft Defender for
Endpoint"). A sentence always has lower-case words besides those, so it is still found. Three words or fewer
("Azure Linux", "OOM killer", "unexpected EOF") are terms, which Chinese technical writing keeps in English.
"""

import re

_QUOTED = re.compile(r"`[^`]*`|\"[^\"\n]*\"|“[^”\n]*”|「[^」\n]*」|(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])")
_URL = re.compile(r"https?://\S+")
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")
_TOOLS = {
    "az", "azcopy", "sudo", "apt-get", "apt", "yum", "dnf", "zypper", "choco", "winget", "curl", "wget",
    "waagent", "cloud-init", "fuser", "ssh", "aibcheck",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+(?:'s)?")
_JOINING = {"for", "of", "and", "the", "on", "in", "to"}
_TRIM = ",;:.!?()"
_SUBCOMMANDS = 3


def strip_non_prose(text: str) -> str:
    """The text without code spans, quotes and URLs (each replaced by a marker that ends a run)."""
    for pattern in (_URL, _QUOTED):
        text = pattern.sub(" \u3000 ", text)
    return text


def _plain(token: str) -> bool:
    word = token.strip(_TRIM)
    if not _WORD.fullmatch(word):
        return False
    return not any(ch.isupper() for ch in word[1:])  # CamelCase and ACRONYMS are identifiers


def _is_name(words: list[str]) -> bool:
    if not (words[0][:1].isupper() and words[-1][:1].isupper()):
        return False
    return all(word[:1].isupper() or word.lower() in _JOINING for word in words)


def _classify(tokens: list[str]) -> list[str | None]:
    """Each token as a plain word, "" for an identifier (neutral), or None for a part of a command (a break)."""
    out: list[str | None] = []
    command, subcommands, after_flag, flags = False, 0, False, False
    for token in tokens:
        plain = _plain(token)
        if token.strip(_TRIM) in _TOOLS:
            command, subcommands, after_flag, flags = True, 0, False, False
        elif command and not plain:
            after_flag = token.startswith("-")
            flags = flags or after_flag
        elif command and after_flag:
            after_flag = False  # the flag's value
        elif command and not flags and subcommands < _SUBCOMMANDS:
            subcommands += 1
        else:
            command = False
            out.append(token.strip(_TRIM) if plain else "")
            continue
        out.append(None)
    return out


def english_runs(text: str, limit: int = 4) -> list[str]:
    """Every run of `limit` or more plain English words in text, outside what is not prose."""
    runs: list[str] = []
    for piece in _CJK.split(strip_non_prose(text)):
        run: list[str] = []
        for word in [*_classify(piece.split()), None]:  # None ends the last run
            if word:
                run.append(word)
            elif word is None:
                if len(run) >= limit and not _is_name(run):
                    runs.append(" ".join(run))
                run = []
    return runs


def english_words(text: str) -> list[str]:
    """The English words left in text, outside code, quotes and URLs: none may be left in a label."""
    return re.findall(r"[A-Za-z]{2,}", strip_non_prose(text))
