// The command line shared by the node peers (deflate_server.js,
// deflate_client.js): opt(NAME) for flags, val(NAME, DEFAULT) for values,
// and the permessage-deflate settings for ws from
//   --server-no-context-takeover --client-no-context-takeover
//   --server-max-window-bits N --client-max-window-bits N --threshold N
'use strict';

const args = process.argv.slice(2);
const opt = (name) => args.includes(name);
const val = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};

const pmd = {
  serverNoContextTakeover: opt('--server-no-context-takeover'),
  clientNoContextTakeover: opt('--client-no-context-takeover'),
  threshold: Number(val('--threshold', 0)),
};
if (val('--server-max-window-bits')) pmd.serverMaxWindowBits = Number(val('--server-max-window-bits'));
if (val('--client-max-window-bits')) pmd.clientMaxWindowBits = Number(val('--client-max-window-bits'));

module.exports = { opt, val, pmd };
