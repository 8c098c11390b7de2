#!/usr/bin/env node
// The Azure DevOps task's entry point. Plain Node, no dependencies (and no azure-pipelines-task-lib, which
// would delete INPUT_* and ENDPOINT_AUTH_* from the environment that Python inherits).
//
// 1. find Python 3.11+ (AIBCHECK_PYTHON, else python3 / python; on Windows python first, the one that
//    UsePythonVersion@0 put on PATH, then `py -3`);
// 2. use AIBCHECK_VENV, or prepare once per agent a private virtual environment with aibcheck in it, from the
//    hash-pinned requirements-action.txt and the copy of aibcheck packed with the task;
// 3. turn each input into the AIBCHECK_* variable of the README's table (empty inputs are not passed), and the
//    AzureRM service connection (its credential, ARM URL, cloud and authority) into what aibcheck reads;
// 4. run `python -m aibcheck run|attach|diagnose FILE`, forward SIGINT/SIGTERM to it, and exit 0: aibcheck
//    reports the result with ##vso[task.complete] (the agent takes a non-zero exit for an agent failure).
// Every Python runs with PYTHONSAFEPATH=1: the working directory is the repository's sources directory, and a
// yaml.py, venv.py or aibcheck/ there must never be imported in place of the real ones.
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const WINDOWS = process.platform === 'win32';
const MINIMUM_PYTHON = [3, 11];

// [input of the README's table, environment variable]. The task.json input is its camelCase form (task.json
// input names cannot contain '-'), and the agent passes it as INPUT_<NAME UPPER-CASED>.
const INPUTS = [
  ['template', 'AIBCHECK_TEMPLATE'],
  ['log-file', 'AIBCHECK_LOG_FILE'],
  ['subscription', 'AIBCHECK_SUBSCRIPTION'],
  ['resource-group', 'AIBCHECK_RESOURCE_GROUP'],
  ['name', 'AIBCHECK_TEMPLATE_NAME'],
  ['location', 'AIBCHECK_LOCATION'],
  ['parameters-file', 'AIBCHECK_PARAMETERS_FILE'],
  ['parameters', 'AIBCHECK_PARAMETERS'],
  ['if-exists', 'AIBCHECK_IF_EXISTS'],
  ['delete-template', 'AIBCHECK_DELETE'],
  ['tags', 'AIBCHECK_TAGS'],
  ['keep-alive-minutes', 'AIBCHECK_KEEP_ALIVE_MINUTES'],
  ['job-timeout-minutes', 'AIBCHECK_JOB_TIMEOUT_MINUTES'],
  ['deadline-margin-minutes', 'AIBCHECK_DEADLINE_MARGIN_MINUTES'],
  ['on-deadline', 'AIBCHECK_ON_DEADLINE'],
  ['on-cancel', 'AIBCHECK_ON_CANCEL'],
  ['preflight', 'AIBCHECK_PREFLIGHT'],
  ['comment', 'AIBCHECK_COMMENT'],
  ['live-log', 'AIBCHECK_LIVE_LOG'],
  ['arm-endpoint', 'AIBCHECK_ARM_ENDPOINT'],
  ['poll-seconds', 'AIBCHECK_POLL_SECONDS'],
  ['lang', 'AIBCHECK_LANG'],
];
// filePath inputs: the agent turns an empty one into the sources directory, which means "not given".
const FILE_INPUTS = new Set(['template', 'log-file', 'parameters-file']);
const MODES = new Set(['run', 'attach', 'diagnose']);

class TaskFailure extends Error {}

function camelCase(name) {
  return name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

function inputVariable(name) {
  return `INPUT_${camelCase(name).toUpperCase()}`;
}

function input(env, name) {
  return (env[inputVariable(name)] || '').trim();
}

// Escaping of ##vso messages (pipelines.md 2.1): '%' first, then ';', CR, LF and ']'.
function escapeMessage(text) {
  return String(text)
    .replace(/%/g, '%AZP25')
    .replace(/;/g, '%3B')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/]/g, '%5D');
}

function fail(message) {
  process.stdout.write(`##vso[task.logissue type=error]${escapeMessage(message)}\n`);
  process.stdout.write(`##vso[task.complete result=Failed]${escapeMessage(message)}\n`);
}

function samePath(a, b) {
  const clean = (p) => path.resolve(p).replace(/[\\/]+$/, '');
  return Boolean(a && b) && (WINDOWS ? clean(a).toLowerCase() === clean(b).toLowerCase() : clean(a) === clean(b));
}

// The AIBCHECK_* variables of the inputs that were given.
function inputEnvironment(env) {
  const out = {};
  const defaultDirectories = [env.SYSTEM_DEFAULTWORKINGDIRECTORY, env.BUILD_SOURCESDIRECTORY];
  for (const [name, variable] of INPUTS) {
    const value = input(env, name);
    if (!value) continue;
    if (FILE_INPUTS.has(name) && defaultDirectories.some((dir) => samePath(value, dir))) continue;
    out[variable] = value;
  }
  return out;
}

// Case-insensitive look-up: the agent names endpoint variables after the connection's GUID as .NET prints it.
function lookup(env, name) {
  if (env[name] !== undefined) return env[name];
  const wanted = name.toUpperCase();
  const key = Object.keys(env).find((k) => k.toUpperCase() === wanted);
  return key === undefined ? undefined : env[key];
}

function parseJson(text) {
  try {
    const value = JSON.parse(text || '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

function field(object, key) {
  const wanted = key.toLowerCase();
  const found = Object.keys(object || {}).find((k) => k.toLowerCase() === wanted);
  return found === undefined ? undefined : object[found];
}

// An endpoint's authorization parameter (ENDPOINT_AUTH_PARAMETER_<id>_<KEY>, else the ENDPOINT_AUTH_<id> JSON).
function authParameter(env, id, key) {
  const direct = lookup(env, `ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`);
  if (direct) return direct;
  return field(field(parseJson(lookup(env, `ENDPOINT_AUTH_${id}`)), 'parameters'), key) || '';
}

function dataParameter(env, id, key) {
  const direct = lookup(env, `ENDPOINT_DATA_${id}_${key.toUpperCase()}`);
  if (direct) return direct;
  return field(parseJson(lookup(env, `ENDPOINT_DATA_${id}`)), key) || '';
}

function authScheme(env, id) {
  return lookup(env, `ENDPOINT_AUTH_SCHEME_${id}`) || field(parseJson(lookup(env, `ENDPOINT_AUTH_${id}`)), 'scheme') || '';
}

// What aibcheck's credential reads, from the AzureRM service connection and the job's SystemVssConnection.
function connectionEnvironment(env, tempDir) {
  const out = {};
  const token = authParameter(env, 'SYSTEMVSSCONNECTION', 'AccessToken');
  if (!env.SYSTEM_ACCESSTOKEN && token) out.SYSTEM_ACCESSTOKEN = token;
  const id = input(env, 'azureSubscription');
  if (!id) return out;
  const subscription = dataParameter(env, id, 'subscriptionId');
  if (subscription && !input(env, 'subscription')) out.AIBCHECK_SUBSCRIPTION = subscription;
  Object.assign(out, cloudEnvironment(env, id));
  const tenant = authParameter(env, id, 'tenantid');
  const client = authParameter(env, id, 'serviceprincipalid');
  const scheme = authScheme(env, id).toLowerCase();
  if (scheme === 'serviceprincipal') {
    Object.assign(out, servicePrincipal(env, id, tenant, client, tempDir));
  } else if (scheme === 'managedserviceidentity') {
    // A user-assigned identity: without its client id, azure-identity would ask for the system-assigned one.
    const identity = dataParameter(env, id, 'msiclientId');
    if (identity) out.AZURE_CLIENT_ID = identity;
  } else if (tenant && client) {
    // Workload identity federation: AzurePipelinesCredential asks for a fresh OIDC token at each renewal.
    out.AZURESUBSCRIPTION_TENANT_ID = tenant;
    out.AZURESUBSCRIPTION_CLIENT_ID = client;
    out.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID = id;
  }
  return out;
}

// Which cloud the connection is in: its ARM URL (ENDPOINT_URL_<id>), its environment name (AzureCloud,
// AzureChinaCloud, AzureUSGovernment, AzureStack) and its sign-in authority (activeDirectoryAuthority, else the
// older environmentAuthorityUrl), as azure-pipelines-tasks' AzureRMEndpoint reads them. The armEndpoint input,
// when given, wins over the connection's URL.
function cloudEnvironment(env, id) {
  const out = {};
  const url = (lookup(env, `ENDPOINT_URL_${id}`) || '').trim();
  if (url && !input(env, 'arm-endpoint')) out.AIBCHECK_ARM_ENDPOINT = url;
  const cloud = dataParameter(env, id, 'environment').trim();
  if (cloud) out.AIBCHECK_CLOUD = cloud;
  const authority = (dataParameter(env, id, 'activeDirectoryAuthority') || dataParameter(env, id, 'environmentAuthorityUrl')).trim();
  if (authority) out.AZURE_AUTHORITY_HOST = authority; // azure-identity's variable for the sign-in host
  return out;
}

// A service principal with a secret or a certificate: azure-identity's EnvironmentCredential reads these.
function servicePrincipal(env, id, tenant, client, tempDir) {
  const out = { AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: client };
  const secret = authParameter(env, id, 'serviceprincipalkey');
  const certificate = authParameter(env, id, 'servicePrincipalCertificate');
  if (secret) {
    out.AZURE_CLIENT_SECRET = secret;
  } else if (certificate) {
    const file = path.join(tempDir, `aibcheck-spn-${process.pid}.pem`);
    fs.writeFileSync(file, certificate, { mode: 0o600 });
    out.AZURE_CLIENT_CERTIFICATE_PATH = file;
  }
  return out;
}

function commandLine(env) {
  const mode = input(env, 'mode') || 'run';
  if (!MODES.has(mode)) throw new TaskFailure(`aibcheck: unknown mode "${mode}"; expected run, attach or diagnose`);
  if (mode !== 'diagnose') return [mode];
  const file = inputEnvironment(env).AIBCHECK_LOG_FILE;
  if (!file) throw new TaskFailure('aibcheck: mode diagnose needs the logFile input (the file to diagnose)');
  return ['diagnose', file];
}

// The environment of every Python the launcher starts: never the working directory first on sys.path.
function pythonEnvironment(env) {
  return { ...env, PYTHONSAFEPATH: '1' };
}

function pythonVersion(command, env) {
  const probe = spawnSync(command[0], [...command.slice(1), '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
    timeout: 60000,
    env: pythonEnvironment(env),
  });
  if (probe.error || probe.status !== 0) return null;
  const match = /^(\d+)\.(\d+)/.exec((probe.stdout || '').trim());
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function atLeast(version, minimum) {
  return version[0] > minimum[0] || (version[0] === minimum[0] && version[1] >= minimum[1]);
}

// On Windows `python` first: UsePythonVersion@0 puts the chosen one on PATH, which `py -3` would pass over.
function findPython(env, platform = process.platform) {
  let candidates = platform === 'win32' ? [['python'], ['py', '-3'], ['python3']] : [['python3'], ['python']];
  if (env.AIBCHECK_PYTHON) candidates = [[env.AIBCHECK_PYTHON]];
  const seen = [];
  for (const command of candidates) {
    const version = pythonVersion(command, env);
    if (version && atLeast(version, MINIMUM_PYTHON)) return { command, version };
    seen.push(`${command.join(' ')}: ${version ? version.join('.') : 'not found'}`);
  }
  throw new TaskFailure(
    `aibcheck needs Python ${MINIMUM_PYTHON.join('.')} or newer on the agent (${seen.join('; ')}). ` +
      "Add a UsePythonVersion@0 step with versionSpec: '3.12' before this task, or set AIBCHECK_PYTHON to one.",
  );
}

function venvPython(dir) {
  return WINDOWS ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
}

function taskVersion() {
  const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, 'task.json'), 'utf8'));
  return `${version.Major}.${version.Minor}.${version.Patch}`;
}

// The copy of aibcheck packed into the extension, or the repository when the task runs from a checkout, and
// the hash-pinned versions of its dependencies the project is tested with (requirements-action.txt, shared with
// the GitHub Action). Never a package index's "aibcheck": that name is not the project's to trust.
function installSource() {
  const sources = [path.join(__dirname, 'aibcheck-src'), path.join(__dirname, '..')];
  const source = sources.find((dir) => fs.existsSync(path.join(dir, 'aibcheck', '__main__.py')));
  const pins = source && path.join(source, 'requirements-action.txt');
  if (!source || !fs.existsSync(pins)) {
    throw new TaskFailure(
      `aibcheck: the task has no copy of aibcheck and its requirements-action.txt next to it (${path.join(__dirname, 'aibcheck-src')}); build the extension with scripts/package-extension`,
    );
  }
  return { source, pins };
}

function run(command, args, what, env) {
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: 900000, env: pythonEnvironment(env) });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new TaskFailure(`aibcheck: could not prepare its Python environment: ${what} failed (${why})`);
  }
}

// Every file pip downloads is checked against its pinned sha256; aibcheck itself is built from the local copy
// with the build backend pinned there (no build isolation, no index).
function installInto(python, env) {
  const { source, pins } = installSource();
  const pipArgs = (env.AIBCHECK_PIP_ARGS || '').split(/\s+/).filter(Boolean);
  const pip = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', ...pipArgs];
  run(python, [...pip, '--require-hashes', '--requirement', pins], 'pip install --require-hashes -r requirements-action.txt', env);
  run(python, [...pip, '--no-deps', '--no-index', '--no-build-isolation', source], 'pip install aibcheck', env);
}

// A venv per agent, task version and Python version, built aside and moved in place when complete, so a
// half-made one is never used and two jobs on one machine do not step on each other.
function prepareVenv(env) {
  if (env.AIBCHECK_VENV) {
    const python = venvPython(env.AIBCHECK_VENV);
    if (!fs.existsSync(python)) throw new TaskFailure(`aibcheck: AIBCHECK_VENV=${env.AIBCHECK_VENV} has no ${python}`);
    return python;
  }
  const base = findPython(env);
  const version = taskVersion();
  const root = env.AGENT_TOOLSDIRECTORY || env.AGENT_TEMPDIRECTORY || os.tmpdir();
  const dir = path.join(root, 'aibcheck', version, `py${base.version.join('.')}`);
  const ready = path.join(dir, '.aibcheck-ready');
  if (fs.existsSync(ready) && fs.existsSync(venvPython(dir))) return venvPython(dir);
  const building = `${dir}.building-${process.pid}`;
  process.stdout.write(`##[group]aibcheck ${version}: preparing its Python environment in ${dir}\n`);
  try {
    fs.rmSync(building, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    run(base.command[0], [...base.command.slice(1), '-m', 'venv', building], 'python -m venv', env);
    installInto(venvPython(building), env);
    fs.writeFileSync(path.join(building, '.aibcheck-ready'), `${version}\n`);
    if (!fs.existsSync(ready)) fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(building, dir);
    } catch (error) {
      if (!fs.existsSync(ready)) throw error; // else another job finished first: use its venv
    }
  } catch (error) {
    if (error instanceof TaskFailure) throw error;
    throw new TaskFailure(`aibcheck: could not prepare its Python environment in ${dir}: ${error.message}`);
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
    process.stdout.write('##[endgroup]\n');
  }
  return venvPython(dir);
}

const COMPLETE = '##vso[task.complete';

// Relays the child's output as it comes and remembers what the launcher needs from it: whether aibcheck
// reported a result, and the last lines of its error output.
function relay(stream, target, state, key) {
  let carry = '';
  stream.on('data', (chunk) => {
    const text = carry + chunk.toString('utf8');
    if (key === 'stdout' && text.includes(COMPLETE)) state.reported = true;
    if (key === 'stderr') state.stderr = (state.stderr + chunk.toString('utf8')).slice(-4000);
    carry = text.slice(-COMPLETE.length);
  });
  stream.pipe(target, { end: false });
}

function lastLines(text, count) {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  return lines.slice(-count).join(' ');
}

function launch(python, args, env, cleanup) {
  const child = spawn(python, ['-u', '-m', 'aibcheck', ...args], { stdio: ['inherit', 'pipe', 'pipe'], env });
  const state = { reported: false, stderr: '' };
  relay(child.stdout, process.stdout, state, 'stdout');
  relay(child.stderr, process.stderr, state, 'stderr');
  let forwarded = null;
  const forward = (signal) => {
    forwarded = signal;
    // On Windows the console's CTRL_C reaches Python itself, and kill() would terminate it outright.
    if (!WINDOWS && child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  let done = false;
  const finish = (message) => {
    if (done) return;
    done = true;
    cleanup();
    if (message) fail(message);
  };
  child.on('error', (error) => finish(`aibcheck: could not start ${python}: ${error.message}`));
  child.on('close', (code, signal) => {
    // aibcheck reports a build's outcome itself. An error before it could (bad input, no access, a crash) is
    // made a failure here, or the agent would show the step green; a cancelled step is the agent's to report.
    const ended = signal ? `signal ${signal}` : code !== 0 ? `exit code ${code}` : '';
    if (!ended || state.reported || forwarded) return finish('');
    const why = lastLines(state.stderr, 3);
    return finish(`aibcheck ended with ${ended}${why ? `: ${why}` : ''}`);
  });
}

function main() {
  const env = process.env;
  const tempDir = env.AGENT_TEMPDIRECTORY || os.tmpdir();
  let python;
  let args;
  let connection;
  try {
    args = commandLine(env);
    python = prepareVenv(env);
    connection = connectionEnvironment(env, tempDir);
  } catch (error) {
    fail(error instanceof TaskFailure ? error.message : `aibcheck: the task failed to start: ${error.stack || error}`);
    return; // exit code 0: the result is the ##vso line
  }
  const childEnv = { ...pythonEnvironment(env), ...inputEnvironment(env), ...connection, PYTHONUNBUFFERED: '1', PYTHONUTF8: '1' };
  const certificate = connection.AZURE_CLIENT_CERTIFICATE_PATH; // only ever one this launcher wrote
  const cleanup = () => {
    if (certificate) fs.rmSync(certificate, { force: true });
  };
  launch(python, args, childEnv, cleanup);
}

module.exports = { INPUTS, camelCase, inputVariable, inputEnvironment, connectionEnvironment, cloudEnvironment, commandLine, findPython };

if (require.main === module) main();
