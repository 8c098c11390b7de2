"""Files aibcheck writes, against planted links and existing files: nothing is written through a link, nothing
that exists is overwritten in place, and what is written is readable by its owner only."""

import json
import os
import stat
from pathlib import Path

from tests.e2e.test_logs import _log, aibcheck, logs_args, run_args
from tests.e2e.test_run import GROUP, LINUX, SUB
from tests.fakes.arm import FakeArm, RunScript
from tests.fakes.azurite import Azurite

pytest_plugins = ["tests.fakes.fixtures"]
RUN = "0d1c2b3a-run"


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.lstat().st_mode) == 0o600 and path.is_file() and not path.is_symlink()


def test_saved_logs_and_the_summary_never_follow_a_planted_link(
    arm_storage: FakeArm, azurite: Azurite, tmp_path: Path
) -> None:
    logs, victim, other = tmp_path / "logs", tmp_path / "victim.txt", tmp_path / "other.txt"
    logs.mkdir()
    victim.write_text("precious")
    other.write_text("also precious")
    (logs / f"customization-{RUN}.log").symlink_to(victim)
    (logs / f"validation-{RUN}.log").write_text("an older validation log")
    summary = tmp_path / "summary.md"
    summary.symlink_to(other)
    template = json.loads(LINUX.read_text(encoding="utf-8"))
    template["properties"]["validate"] = {"inVMValidations": [{"type": "Shell", "name": "v", "inline": ["true"]}]}
    validated = tmp_path / "validated.json"
    validated.write_text(json.dumps(template), encoding="utf-8")
    azurite.put_log(RUN, "[v] PACKER OUT validation passed\n", name="validation.log")
    log = _log("customize")
    arm_storage.set_run_script(RunScript.failure(log_run_id=RUN, log_chunks=[log]))
    args = [*run_args(arm_storage, "planted"), "--summary-file", str(summary), "--no-live-log"]
    args[args.index(str(LINUX))] = str(validated)
    result = aibcheck(arm_storage, *args, env={"AIBCHECK_LOG_DIR": str(logs)})
    assert result.returncode == 1, result.stdout.decode() + result.stderr.decode()
    assert victim.read_text() == "precious" and other.read_text() == "also precious"
    assert (logs / f"customization-{RUN}.log").is_symlink(), "the planted link is left alone"
    saved, checked = logs / f"customization-{RUN}-1.log", logs / f"validation-{RUN}-1.log"
    assert saved.read_bytes() == log and _private(saved)
    assert checked.read_text() == "[v] PACKER OUT validation passed\n" and _private(checked)
    assert (logs / f"validation-{RUN}.log").read_text() == "an older validation log"
    assert not summary.is_symlink() and _private(summary), "the link itself is replaced, not written through"
    assert summary.read_text(encoding="utf-8").startswith("### ❌ aibcheck")


def test_the_summary_file_replaces_an_existing_file_whole(arm_storage: FakeArm, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("x" * 100_000)
    os.chmod(summary, 0o644)
    result = aibcheck(arm_storage, *run_args(arm_storage, "fine"), "--summary-file", str(summary), "--no-live-log")
    assert result.returncode == 0, result.stderr.decode()
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### ✅ aibcheck: template fine built") and "xxxx" not in text
    assert _private(summary)


def test_logs_output_never_overwrites_nor_follows_a_link(arm_storage: FakeArm, azurite: Azurite, tmp_path: Path) -> None:
    arm_storage.put_template(SUB, GROUP, "saved", {"location": "westeurope", "properties": {}}, run_state="Failed")
    azurite.put_log(RUN, _log("customize"))
    victim, existing, link = tmp_path / "victim.txt", tmp_path / "existing.log", tmp_path / "link.log"
    victim.write_text("precious")
    existing.write_text("keep me")
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.log"
    dangling.symlink_to(tmp_path / "nowhere.log")
    for target in (existing, link, dangling):
        result = aibcheck(arm_storage, *logs_args(arm_storage, "saved", "-o", str(target)))
        assert result.returncode == 2, result.stderr.decode()
        assert f"{target} exists".encode() in result.stderr and len(result.stderr.strip().splitlines()) <= 2
    assert victim.read_text() == "precious" and existing.read_text() == "keep me"
    assert not (tmp_path / "nowhere.log").exists(), "a dangling link is not followed to create its target"
    fresh = tmp_path / "fresh.log"
    result = aibcheck(arm_storage, *logs_args(arm_storage, "saved", "-o", str(fresh)))
    assert result.returncode == 0 and _private(fresh) and fresh.read_bytes() == _log("customize")
