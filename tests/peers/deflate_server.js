// A node `ws` echo server with permessage-deflate settings, for the
// compression interop tests (tests/integration/compression.sh installs ws@8
// with npm and sets NODE_PATH). Prints its port, logs to --log, exits when
// stdin closes. Options map to ws's perMessageDeflate:
//   --server-no-context-takeover --client-no-context-takeover
//   --server-max-window-bits N --client-max-window-bits N --threshold N
// Logs `extensions VALUE` (ws's negotiated parameters, or `none`),
// `text len=N` / `binary len=N` per message, and `close CODE`.
'use strict';

const fs = require('fs');
const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
const opt = (name) => args.includes(name);
const val = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const logPath = val('--log', null);
const log = (line) => { if (logPath) fs.appendFileSync(logPath, line + '\n'); };

const pmd = {
  serverNoContextTakeover: opt('--server-no-context-takeover'),
  clientNoContextTakeover: opt('--client-no-context-takeover'),
  threshold: Number(val('--threshold', 0)),
};
if (val('--server-max-window-bits')) pmd.serverMaxWindowBits = Number(val('--server-max-window-bits'));
if (val('--client-max-window-bits')) pmd.clientMaxWindowBits = Number(val('--client-max-window-bits'));

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(val('--port', 0)),
  perMessageDeflate: pmd, maxPayload: 256 * 1024 * 1024 });
wss.on('listening', () => process.stdout.write(wss.address().port + '\n'));
wss.on('headers', (headers) => {
  const ext = headers.find((h) => /^Sec-WebSocket-Extensions:/i.test(h));
  log('extensions ' + (ext ? ext.replace(/^[^:]*:\s*/, '') : 'none'));
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    log((isBinary ? 'binary' : 'text') + ' len=' + data.length);
    ws.send(data, { binary: isBinary });
  });
  ws.on('close', (code) => log('close ' + code));
});
process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
