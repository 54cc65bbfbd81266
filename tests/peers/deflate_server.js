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

const { val, pmd } = require('./pmd_args');

const logPath = val('--log', null);
const log = (line) => { if (logPath) fs.appendFileSync(logPath, line + '\n'); };

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
