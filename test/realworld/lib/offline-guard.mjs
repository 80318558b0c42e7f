// Loaded into every agent process (node --import): any connection to a host other than the
// loopback is refused before it is made and logged, so the corpus is made offline and a library
// that phones home (telemetry, tokenizer downloads) is caught and reported, not silently allowed.
import * as fs from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';

const LOG = process.env.NET_GUARD_LOG ?? '';
const loopback = (host) => host === undefined || host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '';

function refuse(what, host) {
  const line = `${what} ${host}`;
  if (LOG) fs.appendFileSync(LOG, line + '\n');
  process.stderr.write(`[offline-guard] refused ${line}\n`);
  const err = new Error(`offline: ${line} refused`);
  err.code = 'ENOTFOUND';
  return err;
}

const lookup = dns.lookup;
dns.lookup = function guardedLookup(host, ...rest) {
  if (!loopback(host)) {
    const cb = rest.at(-1);
    const err = refuse('dns', host);
    if (typeof cb === 'function') return process.nextTick(() => cb(err));
    throw err;
  }
  return lookup.call(this, host, ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(host, ...rest) {
  if (!loopback(host)) throw refuse('dns', host);
  return promisesLookup.call(this, host, ...rest);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const opts = typeof args[0] === 'object' && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
  if (opts && opts.path === undefined && !loopback(opts.host)) {
    const err = refuse('connect', `${opts.host}:${opts.port}`);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return connect.apply(this, args);
};
