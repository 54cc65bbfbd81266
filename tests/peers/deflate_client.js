// A node `ws` client with permessage-deflate settings, for listen mode's
// compression tests (tests/integration/compression.sh installs ws@8 and
// sets NODE_PATH). Sends every message of --count lines of generated text
// and some binary ones to --url (an echo server), checks each echo, and
// prints `extensions VALUE` then `ok N` or `FAIL why`; exits 1 on failure.
//   --server-no-context-takeover --client-no-context-takeover
//   --server-max-window-bits N --client-max-window-bits N --count N
'use strict';

const WebSocket = require('ws');

const { val, pmd } = require('./pmd_args');

// Deterministic messages: repetitive text of many lengths, then binary.
const words = ['lorem ', 'ipsum ', 'dolor ', '\u03ba\u1f79\u03c3\u03bc\u03b5 ', '\u{1F600} '];
const msgs = [];
let seed = 7;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
for (let i = 0; i < Number(val('--count', 300)); i++) {
  let s = '';
  for (let j = rnd(300); j > 0; j--) s += words[rnd(words.length)];
  msgs.push(s + i);
}
msgs.push(Buffer.alloc(100000, 7), Buffer.from(Array.from({ length: 5000 }, () => rnd(256))));

const ws = new WebSocket(val('--url'), { perMessageDeflate: pmd });
let next = 0;
const fail = (why) => { console.log('FAIL ' + why); process.exit(1); };
ws.on('open', () => {
  console.log('extensions ' + (ws.extensions || 'none'));
  if (!ws.extensions.includes('permessage-deflate')) fail('not agreed');
  ws.send(msgs[0]);
});
ws.on('message', (data, isBinary) => {
  const want = msgs[next];
  const same = isBinary ? Buffer.isBuffer(want) && want.equals(data) :
    typeof want === 'string' && data.toString() === want;
  if (!same) fail('echo ' + next + ' differs');
  if (++next === msgs.length) {
    console.log('ok ' + next);
    ws.close(1000);
  } else {
    ws.send(msgs[next]);
  }
});
ws.on('error', (e) => fail(e.message));
ws.on('close', () => { if (next !== msgs.length) fail('closed early'); });
