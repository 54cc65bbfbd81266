/* Exit statuses of the command-line contract (wsc(1), EXIT STATUS). */
#ifndef WSC_EXITCODE_H
#define WSC_EXITCODE_H

enum wsc_exit {
	WSC_EXIT_OK = 0,	/* clean close */
	WSC_EXIT_ABNORMAL = 1,	/* 1006, error close code, protocol error */
	WSC_EXIT_USAGE = 2,	/* bad option or URL */
	WSC_EXIT_CONNECT = 3,	/* DNS, TCP, proxy, connect timeout */
	WSC_EXIT_TLS = 4,	/* TLS handshake or verification */
	WSC_EXIT_HANDSHAKE = 5,	/* WebSocket opening handshake */
	WSC_EXIT_TIMEOUT = 6	/* -m ran out; --count/--until not met */
};

#endif
