"""The rest of the input decides what a line means: the phase a message names, a build that went on past a
line, a stage-only signature, the build's own VM, a tool inside the build, the template's own settings."""

from pathlib import Path

from aibcheck.diagnose import diagnose_bytes, diagnose_path, facts_of, with_template

OP = "[5a6b7c8d-0000-4000-8000-000000000031]"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _log(*lines: str) -> bytes:
    return "".join(f"{OP} {line}\n" for line in lines).encode()


def test_a_message_that_says_distribution_failed_is_in_distribute() -> None:
    message = (
        b"Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to shared "
        b"image gallery. Error: Code=\"AuthorizationFailed\" Message=\"The client 'x' with object id 'y' does not have "
        b"authorization to perform action 'Microsoft.Compute/galleries/images/versions/write' over scope '/s/rg/g'.\"}"
    )
    diagnosis = diagnose_bytes(message, "message")
    assert (diagnosis.category.value, diagnosis.phase.value) == ("missing-permission", "distribute")


def test_a_refused_action_places_a_pasted_authorization_failure() -> None:
    """Without a log around it, the action refused says where the build was: its deploy, or writing the image."""
    message = (
        "Code=\"AuthorizationFailed\" Message=\"The client '00000000-0000-0000-0000-000000000001' with object id "
        "'00000000-0000-0000-0000-000000000001' does not have authorization to perform action '{action}' over scope "
        "'/subscriptions/0000/resourceGroups/rg-net' or the scope is invalid.\""
    )
    for action, phase in (
        ("Microsoft.Network/virtualNetworks/subnets/join/action", "deploy"),
        ("Microsoft.Compute/galleries/images/versions/write", "distribute"),
        ("Microsoft.VirtualMachineImages/imageTemplates/write", "submission"),
    ):
        diagnosis = diagnose_bytes(message.format(action=action).encode(), "message")
        assert (diagnosis.category.value, diagnosis.phase.value) == ("missing-permission", phase), action


def test_packers_capture_and_key_vault_errors_name_their_phase() -> None:
    """A 403 is placed by Packer's own words around it: capturing the image, or the key vault of the deploy."""
    capture = b"Build 'azure-arm' errored: failed to capture OS Disk with err : unexpected status 403 StatusCode=403"
    assert diagnose_bytes(capture, "message").phase.value == "distribute"
    vault = b"Build 'azure-arm' errored: Error setting winrm cert in custom keyvault: SetSecret: StatusCode=403"
    diagnosis = diagnose_bytes(vault, "message")
    assert (diagnosis.category.value, diagnosis.phase.value) == ("missing-permission", "deploy")


def test_sysprep_states_before_the_capture_did_not_stop_the_build() -> None:
    diagnosis = diagnose_path(str(CORPUS / "distribute-sysprep-states-then-pir-error" / "input.log"))
    assert diagnosis.signature == "gallery-service-error"
    assert all(f.signature.id != "sysprep-image-state-undeployable" for f in diagnosis.findings if f.line > 7)
    assert "sysprep" not in {o.signature for o in diagnosis.others}


def test_an_azure_error_line_is_a_cleanup_failure_only_inside_the_cleanup() -> None:
    deploy = _log(
        "PACKER OUT ==> azure-arm: Deploying deployment template ...",
        "PACKER OUT ==> azure-arm: ERROR: -> SomethingNew : The service said no.",
    )
    assert diagnose_bytes(deploy, "log").category.value != "cleanup-failed"
    cleanup = _log(
        "PACKER OUT ==> azure-arm: Capturing image ...",
        "PACKER OUT ==> azure-arm: Deleting resource group ...",
        "PACKER OUT ==> azure-arm: ERROR: -> ResourceGroupNotFound : Resource group 'pkr-rg' could not be found.",
        "PACKER OUT Build 'azure-arm' finished after 40 minutes.",
    )
    diagnosis = diagnose_bytes(cleanup, "log")
    assert (diagnosis.category.value, diagnosis.phase.value, diagnosis.signature) == (
        "cleanup-failed",
        "cleanup",
        "cleanup-step-error",
    )


def test_a_provisioning_timeout_of_the_build_vm_is_not_a_first_boot_failure() -> None:
    text = (
        "OS Provisioning for VM '{vm}' did not finish in the allotted time. However, the VM guest agent was detected "
        "running. This suggests the guest OS has not been properly prepared to be used as a VM image."
    )
    made_from_image = diagnose_bytes(text.format(vm="web01").encode(), "message")
    assert (made_from_image.category.value, made_from_image.phase.value) == ("image-unbootable", "first-boot")
    build_vm = diagnose_bytes(text.format(vm="pkrvm7x2k").encode(), "message")
    assert (build_vm.category.value, build_vm.phase.value) == ("os-provisioning-failed", "deploy")


def test_a_sign_in_error_inside_a_customizer_is_the_script_failing() -> None:
    log = _log(
        "PACKER ERR 2024/05/02 10:00:01 [INFO] (telemetry) Starting provisioner shell",
        "PACKER OUT     azure-arm: ERROR: AADSTS7000222: The provided client secret keys for app 'x' are expired.",
        "PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]",
        "PACKER ERR 2024/05/02 10:00:05 [INFO] (telemetry) ending shell",
    )
    diagnosis = diagnose_bytes(log, "log")
    assert (diagnosis.category.value, diagnosis.failed_customizer) == ("customizer-failed", "shell")


def test_packers_wait_cut_off_during_capture_is_a_distribution_failure() -> None:
    diagnosis = diagnose_path(str(CORPUS / "distribute-capture-wait-deadline" / "input.log"))
    assert (diagnosis.category.value, diagnosis.phase.value) == ("distribution-failed", "distribute")


def test_a_finished_small_transfer_is_no_slow_download() -> None:
    log = _log(
        "PACKER ERR 2024/05/02 10:00:00 [INFO] (telemetry) Starting provisioner file",
        "PACKER OUT     azure-arm: config.json 2.00 KiB / 2.00 KiB [==========================] 100.00% 0s",
        "PACKER ERR 2024/05/02 10:00:01 [INFO] (telemetry) ending file",
        "PACKER ERR 2024/05/02 10:00:01 [INFO] (telemetry) Starting provisioner shell",
        "PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 3. Allowed exit codes are: [0]",
    )
    diagnosis = diagnose_bytes(log, "log")
    assert all(f.signature.category.value != "slow-file-download" for f in diagnosis.findings)
    assert not diagnosis.others


def test_the_templates_build_timeout_reaches_the_fix() -> None:
    status = (
        b'{"properties": {"lastRunStatus": {"runState": "Failed", "message": "Failed while waiting for packerizer: '
        b"Timeout waiting for microservice to complete: 'context deadline exceeded'\"}}}"
    )
    unknown = diagnose_bytes(status, "status")
    assert "240 minutes when the template does not set it" in unknown.cause
    template = {"properties": {"buildTimeoutInMinutes": 120, "vmProfile": {"vmSize": "Standard_D2s_v5"}}}
    assert facts_of(template) == {"build_timeout": "120", "vm_size": "Standard_D2s_v5"}
    for diagnosis in (diagnose_bytes(status, "status", facts_of(template)), with_template(unknown, template)):
        assert "of 120 minutes" in diagnosis.cause and "240" not in diagnosis.cause
        assert "above 120" in diagnosis.fix
    assert "of 240 minutes" in with_template(unknown, {"properties": {}}).cause


def test_the_log_location_becomes_the_command_that_fetches_it() -> None:
    diagnosis = diagnose_path(str(CORPUS / "log-needed-lastrunstatus-new-message" / "input.json"))
    url = "https://abcdef0123456789ab.blob.core.windows.net/packerlogs/7c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f/customization.log"
    assert f"aibcheck logs --url {url} | aibcheck diagnose -" in diagnosis.fix
    assert "--template <template>" not in diagnosis.fix
    bare = diagnose_bytes(b"Packer build command has failed: exit status 1.", "message")
    assert bare.category.value == "log-needed" and "aibcheck logs --template <template>" in bare.fix


def test_facts_name_the_code_and_its_meaning() -> None:
    update = diagnose_bytes(
        b"PACKER OUT     azure-arm: Installation Failure: Windows failed to install the following update with error "
        b"0x800F0922: 2024-04 Cumulative Update for Windows Server 2022 (KB5036909).",
        "log",
    )
    assert "0x800F0922 means the servicing stack could not apply the update" in update.cause
    assert "not a search or network error" in update.cause
    msi = diagnose_path(str(CORPUS / "apt-fetch-404-stale-lists" / "input.log"))
    assert "libssl3 3.0.2-0ubuntu1.12 from http://azure.archive.ubuntu.com/ubuntu" in msi.cause
    assert [line.number for line in msi.evidence] == [8, 9]  # the lines with the facts, not the exit statuses


def test_the_templates_settings_in_the_document_itself_reach_the_texts() -> None:
    diagnosis = diagnose_path(str(Path(__file__).resolve().parents[2] / "examples" / "az-image-builder-show.json"))
    assert diagnosis.category.value == "build-timeout"
    assert "of 120 minutes" in diagnosis.cause and "240" not in diagnosis.cause
    assert "than Standard_D2s_v5" in diagnosis.fix


def test_windows_update_advice_follows_the_kind_of_code() -> None:
    install = diagnose_path(str(CORPUS / "windows-update-servicing-0x800f0922" / "input.log"))
    assert "WindowsRestart customizer before" in install.fix and "reach Windows Update" not in install.fix
    search = diagnose_bytes(
        b"PACKER OUT     azure-arm: Search for Windows updates failed with 'Exception from HRESULT: 0x8024402C'.",
        "log",
    )
    assert "reach Windows Update" in search.fix and "WindowsRestart customizer before" not in search.fix
    assert "could not resolve the update server's name" in search.cause


def test_a_folder_named_validation_does_not_make_a_log_a_validation_log(tmp_path: Path) -> None:
    folder = tmp_path / "validation-runs"
    folder.mkdir()
    log = folder / "customization.log"
    log.write_bytes(_log("PACKER ERR 2024/05/02 10:00:01 [INFO] (telemetry) Starting provisioner shell",
                         "PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 2. Allowed exit codes are: [0]"))
    assert diagnose_path(str(log)).phase.value == "customize"
    renamed = tmp_path / "validation.log"
    renamed.write_bytes(log.read_bytes())
    assert diagnose_path(str(renamed)).phase.value == "validate"
