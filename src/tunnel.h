/* --tunnel [ADDR:]PORT URL (wsc(1)): each TCP connection accepted on the
 * local address is carried over its own WebSocket to URL. */
#ifndef WSC_TUNNEL_H
#define WSC_TUNNEL_H

#include "options.h"

/* Listens and tunnels until Ctrl+C or SIGTERM, then closes every tunnel
 * (1001) and returns 0; or returns the exit status of what kept it from
 * starting (2: bad address or URL, 3: cannot listen), already said. */
int	 wsc_tunnel_run(const struct wsc_options *o);

#endif
