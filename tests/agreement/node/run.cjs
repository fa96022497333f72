// Runs OpenTelemetry JS resource detectors on one agreement case and prints what they report.
//
// Usage: node run.cjs '<case JSON>'; the process environment is the case's environment.
// The case JSON: {"detectors": ["<package suffix>:<export>", ...], "root": "<folder>",
//                 "redirect": {"<host>:<port>": <loopback port>, ...}, "hostname": "<name>"}
//
// The detectors are not changed; what they reach is. Before any detector runs:
// - every socket connection is rewritten by the redirect map to 127.0.0.1, and any
//   other destination that is not loopback is refused (no packet ever goes to
//   169.254.169.254, 100.100.100.200 or a cluster address);
// - reads of platform files (/proc, /sys, /var, /etc, /run) come from the case's root;
// - os.hostname() answers the case's host name.
// Prints one JSON object: {"<package suffix>:<export>": {attribute: value, ...}, ...}.
"use strict";

const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");

const spec = JSON.parse(process.argv[2]);
const here = __dirname;

// --- files -------------------------------------------------------------------------------------
const PLATFORM_FILES = ["/proc/", "/sys/", "/var/", "/etc/", "/run/"];
const underRoot = (p) => {
  if (typeof p !== "string" && !(p instanceof URL)) return p;
  const text = p instanceof URL ? p.pathname : p;
  if (!path.isAbsolute(text) || text.startsWith(here + path.sep)) return p;
  if (!PLATFORM_FILES.some((prefix) => text.startsWith(prefix))) return p;
  return path.join(spec.root, text);
};
const wrapPathFirst = (owner, names) => {
  for (const name of names) {
    const original = owner[name];
    if (typeof original !== "function") continue;
    owner[name] = function (first, ...rest) {
      return original.call(this, underRoot(first), ...rest);
    };
  }
};
const PATH_FUNCTIONS = [
  "readFile", "readFileSync", "access", "accessSync", "stat", "statSync", "lstat", "lstatSync",
  "existsSync", "readdir", "readdirSync", "open", "openSync", "createReadStream", "exists",
];
wrapPathFirst(fs, PATH_FUNCTIONS);
wrapPathFirst(fs.promises, ["readFile", "access", "stat", "lstat", "readdir", "open"]);

// --- network -----------------------------------------------------------------------------------
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let options = args[0];
  let rest = args.slice(1);
  if (Array.isArray(options)) {
    // The normalized form http and tls pass down: [options, callback].
    [options, ...rest] = [options[0], options[1]];
    rest = rest.filter((x) => x !== undefined);
  }
  if (typeof options !== "object" || options === null) {
    options = { port: args[0], host: typeof args[1] === "string" ? args[1] : "localhost" };
    rest = args.slice(typeof args[1] === "string" ? 2 : 1);
  }
  if (options.path) return originalConnect.call(this, options, ...rest); // a Unix socket
  const host = String(options.host || "localhost").replace(/^\[|\]$/g, "").replace(/\.$/, "");
  const key = `${host}:${options.port}`;
  const target = spec.redirect[key];
  let rewritten;
  if (target !== undefined) {
    rewritten = { ...options, host: "127.0.0.1", port: target };
  } else if (LOOPBACK.test(host)) {
    rewritten = options;
  } else {
    // Not on the map and not loopback: refused here, before any packet is sent.
    const error = Object.assign(new Error(`agreement sandbox refused a connection to ${key}`), { code: "ECONNREFUSED" });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return originalConnect.call(this, rewritten, ...rest);
};

// --- host name ---------------------------------------------------------------------------------
if (spec.hostname) os.hostname = () => spec.hostname;

// --- load: after the files and sockets are redirected, since detectors keep references to fs
// functions they take at load time. Module sources are read from this folder, never redirected.
const detectors = spec.detectors.map((name) => {
  const [pkg, exported] = name.split(":");
  return [name, require(`@opentelemetry/resource-detector-${pkg}`)[exported]];
});
const { detectResources } = require("@opentelemetry/resources");

// --- run ---------------------------------------------------------------------------------------
const plain = (value) => (typeof value === "bigint" ? Number(value) : value);

(async () => {
  const out = {};
  for (const [name, detector] of detectors) {
    const resource = detectResources({ detectors: [detector] });
    if (resource.waitForAsyncAttributes) await resource.waitForAsyncAttributes();
    const attributes = {};
    for (const [key, value] of Object.entries(resource.attributes)) {
      if (value !== undefined && value !== null && !Number.isNaN(value)) attributes[key] = Array.isArray(value) ? value.map(plain) : plain(value);
    }
    out[name] = attributes;
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
