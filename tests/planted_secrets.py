"""Secrets as they show up in build logs: one or more realistic plants per kind, with the values that must vanish.

Values are random (a fixed seed) so that no piece of one can appear in an output by chance.
"""

import base64
import random
import string
from dataclasses import dataclass

_RNG = random.Random(20260304)
ALNUM = string.ascii_letters + string.digits
_B64 = ALNUM + "+/"


def pick(alphabet: str, size: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(size))


def password(size: int = 16, symbols: str = "!*-_+.^") -> str:
    return pick(ALNUM, size - 3) + _RNG.choice(symbols) + pick(string.digits, 1) + pick(string.ascii_uppercase, 1)


def _url(value: str) -> str:
    return value.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def _guid() -> str:
    hexa = pick("0123456789abcdef", 32)
    return f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}"


@dataclass(frozen=True)
class Plant:
    kind: str
    lines: tuple[str, ...]  # more than one: a secret spread over consecutive lines
    secrets: tuple[str, ...]  # no 8-character piece of these may reach an output


def _one(kind: str, line: str, *secrets: str) -> Plant:
    return Plant(kind, (line,), secrets)


def _sas_signature() -> str:
    return _url(pick(_B64, 20) + "+" + pick(_B64, 10) + "/" + pick(_B64, 11) + "=")


def _storage_key() -> str:
    return pick(_B64, 40) + "+" + pick(_B64, 20) + "/" + pick(_B64, 24) + "=="


def _entra() -> str:
    return pick(ALNUM, 3) + pick("0123456789", 1) + "Q~" + pick(ALNUM + "_~.-", 33) + pick(ALNUM, 1)


def _pem_body(lines: int) -> tuple[str, ...]:
    body = [pick(_B64, 64) for _ in range(lines)]
    return ("MII" + body[0][3:], *body[1:], pick(_B64, 40) + "==")


def _jwt() -> str:
    header = base64.urlsafe_b64encode(b'{"typ":"JWT","alg":"RS256","kid":"' + pick(ALNUM, 8).encode() + b'"}')
    claims = base64.urlsafe_b64encode(b'{"aud":"https://management.azure.com/","oid":"' + _guid().encode() + b'"}')
    return f"{header.decode().rstrip('=')}.{claims.decode().rstrip('=')}.{pick(ALNUM + '-_', 86)}"


def _azure() -> list[Plant]:
    sig, sig2, sig3, key, key2 = _sas_signature(), _sas_signature(), _sas_signature(), _storage_key(), _storage_key()
    url = "https://stimages01.blob.core.windows.net/scripts/setup.ps1"
    query = "sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-04-01T00:00:00Z&st=2026-03-01T00:00:00Z&spr=https"
    wrapped = _sas_signature()
    escaped_query = query.replace("&", "\\u0026")
    escaped_key = key2.replace("+", "\\u002B").replace("/", "\\/")
    bus_key = pick(_B64, 43) + "="
    entra, entra2, pat, pat_new = _entra(), _entra(), pick("abcdefghijklmnopqrstuvwxyz234567", 52), ""
    pat_new = pick(ALNUM, 52) + "JQQJ99BL" + pick("A", 16) + "AZDO" + pick(ALNUM, 4)
    function_key = pick(ALNUM + "-_", 44) + "AzFu" + pick(ALNUM, 5) + "A=="
    return [
        _one("sas-url", f'Invoke-WebRequest -Uri "{url}?{query}&sig={sig}" -OutFile C:\\setup.ps1', sig),
        _one("sas-url", f'{{"scriptUri": "{url}?{escaped_query}\\u0026sig={sig2}"}}', sig2),
        _one("sas-signature", f"azcopy: failed to transfer: signature sig={sig3} did not match", sig3),
        Plant(
            "sas-wrapped",
            (f"Downloading {url}?{query}&sig={wrapped[:22]}", f"{wrapped[22:]} to C:\\setup.ps1"),
            (wrapped,),
        ),
        _one(
            "storage-account-key", f"az storage blob upload --account-name stimages01 --account-key {key} -f a.zip", key
        ),
        _one("storage-account-key", f'[{{"keyName": "key1", "permissions": "FULL", "value": "{key2}"}}]', key2),
        _one("storage-key-escaped", f'keys returned: [\\"{escaped_key}\\"]', escaped_key, key2),
        _one(
            "connection-string",
            f"DefaultEndpointsProtocol=https;AccountName=stimages01;AccountKey={key};EndpointSuffix=core.windows.net",
            key,
        ),
        _one(
            "connection-string",
            "Endpoint=sb://ns-images.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
            f"SharedAccessKey={bus_key}",
            bus_key,
        ),
        _one(
            "connection-string",
            f"BlobEndpoint=https://stimages01.blob.core.windows.net/;SharedAccessSignature={query}&sig={sig}",
            sig,
        ),
        _one("entra-client-secret", f"Created a new client secret {entra} for the app; copy it now", entra),
        _one(
            "az-login-service-principal",
            f"az login --service-principal -u {_guid()} -p {entra2} --tenant {_guid()}",
            entra2,
        ),
        _one("azure-devops-pat", f"git clone https://build:{pat}@dev.azure.com/contoso/images/_git/scripts", pat),
        _one("azure-devops-pat", f"echo {pat} | az devops login --organization https://dev.azure.com/contoso", pat),
        _one(
            "azure-devops-pat",
            f"echo {pat_new} | az devops login --organization https://dev.azure.com/contoso",
            pat_new,
        ),
        _one(
            "azure-function-key",
            f"POST https://fn-images.azurewebsites.net/api/notify?code={function_key} 500",
            function_key,
        ),
        _one("azure-function-key", f"function host key {function_key} rejected", function_key),
    ]


def _passwords() -> list[Plant]:
    pw = [password() for _ in range(25)]
    semi = password(10)[:4] + ";" + password(10)
    return [
        _one("password", f"password={pw[0]}", pw[0]),
        _one("password", f'"adminPassword": "{pw[1]}",', pw[1]),
        _one("password", f"Password: {pw[2]}", pw[2]),
        _one("password", f"$password = '{pw[3]}'", pw[3]),
        _one("password-quoted-after-name", f'* The client_secret "{pw[24]}" is invalid', pw[24]),
        _one("password-with-semicolon", f"mount.cifs //srv/share /mnt -o username=builder,password={semi} ok", semi),
        _one(
            "password-json-in-json", f'"properties": "{{\\"password\\":\\"{pw[4]}\\",\\"user\\":\\"builder\\"}}"', pw[4]
        ),
        _one("arm-parameter", f'"parameters": {{"adminPassword": {{"value": "{pw[5]}"}}}}', pw[5]),
        Plant("arm-parameter", ('"adminPassword": {', f'  "value": "{pw[6]}"', "},"), (pw[6],)),
        _one("securestring", f"ConvertTo-SecureString '{pw[7]}' -AsPlainText -Force", pw[7]),
        _one("securestring", f"$s = '{pw[8]}' | ConvertTo-SecureString -AsPlainText -Force", pw[8]),
        _one("securestring", f'ConvertTo-SecureString -String "{pw[9]}" -AsPlainText -Force', pw[9]),
        _one("securestring", f"ConvertTo-SecureString -AsPlainText -Force -String {pw[10]}", pw[10]),
        _one(
            "password-flag", f"az vm create -n vm1 --admin-username builder --admin-password {pw[11]} --image x", pw[11]
        ),
        _one("password-flag", f"New-LocalUser -Name builder -Password '{pw[12]}' -FullName Builder", pw[12]),
        _one("net-user", f"net user builder {pw[13]} /add /y", pw[13]),
        _one("docker-login", f"docker login crimages.azurecr.io -u builder -p {pw[14]}", pw[14]),
        _one("docker-login", f"docker login --username builder --password {pw[15]} crimages.azurecr.io", pw[15]),
        _one("mysql-password", f'mysql -h db01 -u root -p{pw[16]} -e "select 1"', pw[16]),
        _one("cmdkey", f"cmdkey /generic:TERMSRV/host01 /user:builder /pass:{pw[17]}", pw[17]),
        _one("chpasswd", f"echo 'builder:{pw[18]}' | sudo chpasswd", pw[18]),
        _one("sshpass", f"sshpass -p '{pw[19]}' ssh builder@10.0.0.4 uptime", pw[19]),
        _one(
            "autologon-registry",
            f"Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon' -Name DefaultPassword -Value '{pw[20]}'",
            pw[20],
        ),
        _one(
            "unattend-xml",
            f"<AdministratorPassword><Value>{pw[21]}</Value><PlainText>true</PlainText></AdministratorPassword>",
            pw[21],
        ),
        Plant(
            "unattend-xml",
            ("<AdministratorPassword>", f"  <Value>{pw[22]}</Value>", "</AdministratorPassword>"),
            (pw[22],),
        ),
        _one("sqlcmd", f'sqlcmd -S tcp:sql01.database.windows.net -U sa -P {pw[23]} -Q "select 1"', pw[23]),
    ]


def _more_passwords() -> list[Plant]:
    pw = [password() for _ in range(8)]
    alnum = [pick(ALNUM, 18) for _ in range(3)]
    basic = base64.b64encode(f"builder:{alnum[2]}".encode()).decode()
    return [
        _one(
            "connection-string",
            f"Server=tcp:sql01.database.windows.net,1433;User ID=app;Password={pw[0]};Encrypt=True;",
            pw[0],
        ),
        _one(
            "url-credentials",
            f"pip install --index-url https://builder:{alnum[0]}@pkgs.contoso.com/simple app",
            alnum[0],
        ),
        _one("url-credentials", f'{{"feed": "https:\\/\\/builder:{alnum[1]}@pkgs.contoso.com\\/feed"}}', alnum[1]),
        _one("curl-user", f"curl -fsSL -u builder:{pw[1]} https://pkgs.contoso.com/agent.tar.gz -o agent.tgz", pw[1]),
        _one("authorization-basic", f'curl -H "Authorization: Basic {basic}" https://pkgs.contoso.com/a.zip', basic),
        _one("keyvault-secret", f"az keyvault secret set --vault-name kv-img --name admin --value {pw[2]}", pw[2]),
        _one("network-credential", f"$c = New-Object System.Net.NetworkCredential('builder', '{pw[3]}')", pw[3]),
        _one("client-secret", f"ARM_CLIENT_SECRET={pw[4]} packer build .", pw[4]),
        _one("client-secret", f'{{"clientId": "{_guid()}", "clientSecret": "{pw[5]}"}}', pw[5]),
        _one("netrc", f"machine pkgs.contoso.com login builder password {pw[6]}", pw[6]),
        _one("password-flag", f"msiexec /i agent.msi /qn SERVICE_PASSWORD={pw[7]}", pw[7]),
    ]


def _tokens() -> list[Plant]:
    gh = {prefix: f"{prefix}_{pick(ALNUM, 36)}" for prefix in ("ghp", "gho", "ghu", "ghs", "ghr")}
    fine = "github_pat_" + pick(ALNUM, 22) + "_" + pick(ALNUM, 59)
    akia, aws_secret = "AKIA" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), pick(_B64, 40)
    akia2, aws_secret2 = "AKIA" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), pick(_B64, 40)
    slack_hook = f"T0{pick(string.ascii_uppercase + string.digits, 8)}/B0{pick(string.ascii_uppercase + string.digits, 8)}/{pick(ALNUM, 24)}"
    slack = f"xoxb-{pick(string.digits, 12)}-{pick(string.digits, 13)}-{pick(ALNUM, 24)}"
    bearer, jwt = pick(ALNUM + "-._~", 48), _jwt()
    plants = [
        _one("github-token", f"git clone https://x-access-token:{gh['ghs']}@github.com/contoso/scripts.git", gh["ghs"])
    ]
    plants += [_one("github-token", f"echo {gh['ghp']} | gh auth login --with-token", gh["ghp"])]
    plants += [_one("github-token", f"Authorization: token {gh['gho']}", gh["gho"])]
    plants += [_one("github-token", f"GH_TOKEN {gh['ghu']} refreshed with {gh['ghr']}", gh["ghu"], gh["ghr"])]
    run_as_command = f"ghp_{pick(ALNUM, 36)}"  # a signature's title quotes the command: here, a token
    plants += [
        _one("github-token", f"The term '{run_as_command}' is not recognized as the name of a cmdlet", run_as_command)
    ]
    return [
        *plants,
        _one("github-fine-grained-pat", f"git remote set-url origin https://{fine}@github.com/contoso/images", fine),
        _one("slack-webhook", f"curl -X POST https://hooks.slack.com/services/{slack_hook} -d @msg.json", slack_hook),
        _one("slack-token", f"notify: posting with {slack} failed, retrying", slack),
        _one("aws-access-key", f"aws_access_key_id={akia} aws_secret_access_key={aws_secret}", akia, aws_secret),
        _one("aws-access-key", f"using credentials {akia2} {aws_secret2}", akia2, aws_secret2),
        _one("bearer-token", f'curl -H "Authorization: Bearer {bearer}" https://management.azure.com/', bearer),
        _one("jwt", f"access_token={jwt}", jwt),
        _one("jwt", f"token {jwt} expired at 10:00", jwt),
        _one("npm-token", f"//registry.npmjs.org/:_authToken=npm_{(npm := pick(ALNUM, 36))}", "npm_" + npm),
        _one(
            "pypi-token",
            f"twine upload -u __token__ -p {(pypi := 'pypi-AgEIcHlwaS5vcmc' + pick(ALNUM + '-_', 60))} dist/*",
            pypi,
        ),
        _one(
            "nuget-api-key",
            f"dotnet nuget push pkg.nupkg -k {(nuget := 'oy2' + pick(string.ascii_lowercase + string.digits, 43))}",
            nuget,
        ),
        _one(
            "docker-hub-token",
            f"echo {(dckr := 'dckr_pat_' + pick(ALNUM + '-_', 27))} | docker login -u builder --password-stdin",
            dckr,
        ),
        _one(
            "gitlab-token",
            f"git clone https://oauth2:{(gl := 'glpat-' + pick(ALNUM + '-_', 20))}@gitlab.com/c/s.git",
            gl,
        ),
        _one(
            "google-api-key",
            f"GET https://maps.googleapis.com/maps/api/geocode/json?key={(gkey := 'AIza' + pick(ALNUM + '-_', 35))}",
            gkey,
        ),
        _one("vault-token", f"X-Vault-Token: {(vault := 'hvs.' + pick(ALNUM + '_-', 90))}", vault),
        _one("generic-token", f'{{"accessToken": "{(opaque := pick(ALNUM, 40))}", "expiresOn": "2026-03-04"}}', opaque),
        _one("api-key-header", f"Ocp-Apim-Subscription-Key: {(apim := pick('0123456789abcdef', 32))}", apim),
    ]


def _commands() -> list[Plant]:
    pw = [password() for _ in range(8)]
    token, aws_secret = pick(ALNUM, 32), pick(_B64, 40)
    bus_key = pick(_B64, 33) + "+ASb" + pick(_B64, 5) + "A="
    winlogon = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon"
    return [
        _one("net-use", f"net use Z: \\\\srv01\\share {pw[0]} /user:contoso\\builder", pw[0]),
        _one("environment-variable", f"setx API_TOKEN {token} /M", token),
        _one(
            "environment-variable",
            f"[Environment]::SetEnvironmentVariable('DB_PASSWORD', '{pw[1]}', 'Machine')",
            pw[1],
        ),
        _one("autologon-registry", f'reg add "{winlogon}" /v DefaultPassword /t REG_SZ /d {pw[2]} /f', pw[2]),
        _one("nuget-config", f'<add key="ClearTextPassword" value="{pw[3]}" />', pw[3]),
        _one("openssl-pass", f"openssl pkcs12 -export -in c.pem -out c.pfx -passout pass:{pw[4]}", pw[4]),
        _one("aws-configure", f"aws configure set aws_secret_access_key {aws_secret}", aws_secret),
        _one("chpasswd", f"chpasswd <<< 'builder:{pw[5]}'", pw[5]),
        _one("smbclient", f"smbclient //srv01/share -U builder%{pw[6]} -c ls", pw[6]),
        _one("sudo-password", f"echo '{pw[7]}' | sudo -S systemctl restart walinuxagent", pw[7]),
        _one("azure-identifiable-key", f"Endpoint=sb://ns01.servicebus.windows.net/ key {bus_key} rejected", bus_key),
    ]


def _service_tokens() -> list[Plant]:
    hexa = "0123456789abcdef"
    teams = f"{_guid()}@{_guid()}/IncomingWebhook/{pick(hexa, 32)}/{_guid()}"
    shaped = {
        "jfrog-token": "AKCp" + pick(ALNUM, 69),
        "terraform-cloud-token": pick(ALNUM, 14) + ".atlasv1." + pick(ALNUM + "-_", 67),
        "openai-key": "sk-proj-" + pick(ALNUM, 40) + "T3BlbkFJ" + pick(ALNUM, 40),
        "anthropic-key": "sk-ant-api03-" + pick(ALNUM + "-_", 93) + "AA",
        "hugging-face-token": "hf_" + pick(string.ascii_letters, 34),
        "sendgrid-key": "SG." + pick(ALNUM, 22) + "." + pick(ALNUM + "-_", 43),
        "databricks-token": "dapi" + pick(hexa, 32),
        "stripe-key": "sk_live_" + pick(ALNUM, 24),
    }
    plants = [
        _one(kind, f"export SERVICE_CREDENTIAL_VALUE {value} # from the pipeline", value)
        for kind, value in shaped.items()
    ]
    return [*plants, _one("teams-webhook", f"POST https://contoso.webhook.office.com/webhookb2/{teams} 400", teams)]


def _private_keys() -> list[Plant]:
    body, short, short2 = _pem_body(24), _pem_body(5), _pem_body(5)
    pem = ("-----BEGIN RSA PRIVATE KEY-----", *body, "-----END RSA PRIVATE KEY-----")
    escaped = "\\n".join(("-----BEGIN PRIVATE KEY-----", *short, "-----END PRIVATE KEY-----"))
    pasted = " ".join(("-----BEGIN OPENSSH PRIVATE KEY-----", *short2, "-----END OPENSSH PRIVATE KEY-----"))
    return [
        Plant("private-key", pem, body),
        _one("private-key", f'{{"type": "service_account", "private_key": "{escaped}\\n"}}', *short),
        _one("private-key", f"key: {pasted}", *short2),
    ]


def _disguised() -> list[Plant]:
    """Secrets behind characters that show nothing, or cut where a console wrapped the line."""
    pw = [password() for _ in range(4)]
    token = "ghp_" + pick(ALNUM, 36)
    return [
        _one("invisible-in-name", f"* The os_type \"pass\u200eword={pw[0]}\" is invalid", pw[0]),
        _one("invisible-in-name", f"client\u200c_secret={pw[1]} rejected", pw[1]),
        _one("odd-spaces", f"* password\u2003=\u2003{pw[2]} is invalid", pw[2]),
        Plant("url-credentials-wrapped", (f"Upload failed: https://builder:{pw[3]}", "@repo.example.com/x denied"), (pw[3],)),
        Plant("github-token-wrapped", (f"* Specify either {token[:18]}", f"{token[18:]} or the other"), (token,)),
    ]


def plants() -> list[Plant]:
    """Every plant, in a fixed order."""
    return [
        *_azure(),
        *_passwords(),
        *_more_passwords(),
        *_commands(),
        *_tokens(),
        *_service_tokens(),
        *_private_keys(),
        *_disguised(),
    ]


PLANTS = plants()
KINDS = sorted({plant.kind for plant in PLANTS})
