/* --tunnel: a local TCP listener whose every connection is carried over a
 * WebSocket of its own. The parent only accepts, starts a child per
 * connection, reaps children and, at the end, tells them to close; each
 * child runs the ordinary client session with the connection as its
 * byte-stream side (doc/decisions.md, A process per tunnel). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bindaddr.h"
#include "compat.h"
#include "exitcode.h"
#include "net.h"
#include "rng.h"
#include "session.h"
#include "signals.h"
#include "rawside.h"
#include "tunnel.h"
#include "url.h"
#include "util.h"

struct tunnel {
	const struct wsc_options	*o;
	int				 lfd;
	char				 where[64];	/* the listening address */
	pid_t				*kids;		/* running, max_clients */
	size_t				 nkids;
	unsigned long			 number;	/* the last one started */
	int				 quitting;
	int				 starved;	/* out of descriptors */
	unsigned			 reaped;	/* SIGCHLDs reaped for */
};

/* Opens the listening socket on --tunnel's address. Returns the fd, or -1
 * with the line said and the exit status in *st. */
static int
listen_on(struct tunnel *t, int *st)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			fd, one = 1;

	if (wsc_bindaddr_parse(t->o->tunnel, &ss, &len) != 0) {
		fprintf(stderr, "wsc: bad --tunnel '%s' (expected [ADDR:]PORT, "
		    "ADDR an IPv4 or IPv6 address) (see wsc --help)\n",
		    t->o->tunnel);
		*st = WSC_EXIT_USAGE;
		return -1;
	}
	*st = WSC_EXIT_CONNECT;
	if ((fd = wsc_socket_nb(ss.ss_family, SOCK_STREAM, 0)) == -1)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, SOMAXCONN) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		close(fd);
		goto fail;
	}
	wsc_net_addr_str((struct sockaddr *)&ss, len, t->where,
	    sizeof t->where);
	return fd;
fail:
	wsc_net_addr_str((struct sockaddr *)&ss, len, t->where,
	    sizeof t->where);
	fprintf(stderr, "wsc: could not listen on %s: %s\n", t->where,
	    strerror(errno));
	return -1;
}

/* The child: the session over one accepted connection; never returns.
 * It gets a process group of its own so that Ctrl+C at the terminal, or
 * a signal to the whole group, reaches the parent only, which passes one
 * SIGTERM on: a child that got two would quit without closing. */
static void
run_child(struct tunnel *t, int fd, const char *peer)
{
	struct wsc_raw	st;
	struct wsc_ui		ui;
	char			label[96];
	int			rc;

	setpgid(0, 0);
	/* From a background group, writing a status line must not stop it
	 * (stty tostop). */
	signal(SIGTTOU, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	close(t->lfd);
	wsc_signals_forget();
	/* Masking keys and the handshake key must differ between tunnels. */
	wsc_rng_free_global();
	snprintf(label, sizeof label, "tunnel %lu from %s", t->number, peer);
	wsc_raw_init(&st, t->o, fd, fd, label, &ui);
	rc = wsc_session_run(t->o, &ui);
	wsc_raw_free(&st);
	close(fd);
	_exit(rc);
}

/* Starts the child for one accepted connection; the parent keeps no copy
 * of its socket (the connection must end when the child ends it). */
static void
start_tunnel(struct tunnel *t, int fd, const char *peer)
{
	pid_t	pid;

	t->number++;
	fflush(NULL);
	if ((pid = fork()) == 0)
		run_child(t, fd, peer);
	close(fd);
	if (pid == -1) {
		fprintf(stderr, "wsc: tunnel %lu from %s: cannot start: %s\n",
		    t->number, peer, strerror(errno));
		return;
	}
	setpgid(pid, pid);	/* as the child does: whichever runs first */
	t->kids[t->nkids++] = pid;
}

/* Accepts the connections waiting, up to --max-clients tunnels at once
 * (the rest wait in the kernel's backlog). */
static void
accept_all(struct tunnel *t)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	char			peer[64];
	int			fd;

	while (t->nkids < t->o->max_clients) {
		len = sizeof ss;
		fd = wsc_accept_nb(t->lfd, (struct sockaddr *)&ss, &len);
		if (fd == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR || errno == ECONNABORTED)
				return;
			fprintf(stderr, "wsc: accept on %s: %s (waiting for "
			    "a tunnel to end)\n", t->where, strerror(errno));
			/* The connection stays in the backlog, so the
			 * socket stays readable: polling it now would spin. */
			t->starved = 1;
			return;
		}
		wsc_net_addr_str((struct sockaddr *)&ss, len, peer,
		    sizeof peer);
		start_tunnel(t, fd, peer);
	}
}

/* Reaps every child that ended. Each has said what went wrong itself; one
 * that died of a signal it was not sent could not, so it is said here. */
static void
reap(struct tunnel *t)
{
	pid_t	pid;
	size_t	i;
	int	status;

	t->reaped = wsc_signals_children();
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		t->starved = 0;
		for (i = 0; i < t->nkids && t->kids[i] != pid; i++)
			;
		if (i < t->nkids)
			t->kids[i] = t->kids[--t->nkids];
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM &&
		    WTERMSIG(status) != SIGKILL)
			fprintf(stderr, "wsc: a tunnel's process died of "
			    "signal %d\n", WTERMSIG(status));
	}
}

/* Ctrl+C or SIGTERM: no new tunnels; every child closes its WebSocket
 * (1001) and its connection. A second signal reaches them again, and
 * then they quit at once. */
static void
quit(struct tunnel *t)
{
	size_t	i;

	if (!t->quitting) {
		t->quitting = 1;
		close(t->lfd);
		t->lfd = -1;
	}
	for (i = 0; i < t->nkids; i++)
		kill(t->kids[i], SIGTERM);
}

/* quit(), then waits for every child to end, without the loop. */
static void
quit_and_wait(struct tunnel *t)
{
	size_t	i;

	quit(t);
	for (i = 0; i < t->nkids; i++)
		while (waitpid(t->kids[i], NULL, 0) == -1 && errno == EINTR)
			;
	t->nkids = 0;
}

/* The parent's loop: signals, children's ends, new connections. Returns
 * the exit status: 1 when poll() itself failed, after saying so and
 * ending the children. */
static int
loop(struct tunnel *t)
{
	struct pollfd	pfd[2];

	/* Ctrl+C, SIGTERM and SIGCHLD all wake the poll through signals.c's
	 * pipe; a child's end shows as a new SIGCHLD count. */
	while (!t->quitting || t->nkids > 0) {
		pfd[0].fd = wsc_signals_fd();
		pfd[1].fd = t->nkids < t->o->max_clients && !t->starved ?
		    t->lfd : -1;
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, -1) == -1 && errno != EINTR) {
			fprintf(stderr, "wsc: cannot wait for connections: "
			    "%s\n", strerror(errno));
			quit_and_wait(t);
			return WSC_EXIT_ABNORMAL;
		}
		if (wsc_signals_take() > 0)
			quit(t);
		if (wsc_signals_children() != t->reaped)
			reap(t);
		if (pfd[1].revents != 0 && !t->quitting)
			accept_all(t);
	}
	return WSC_EXIT_OK;
}

/* "Listening on ADDR:PORT; each connection goes to URL" (-q: not shown),
 * the URL without a password; a URL that cannot be parsed is a usage
 * error now rather than in every tunnel. Returns 0 or the exit status. */
static int
announce(struct tunnel *t)
{
	struct wsc_url	u;
	char		err[256], *host;

	if (wsc_url_parse(&u, t->o->url, err, sizeof err) != 0) {
		fprintf(stderr, "wsc: %s (see wsc --help)\n", err);
		return WSC_EXIT_USAGE;
	}
	host = wsc_url_host_header(&u);
	if (!t->o->quiet)
		fprintf(stderr, "Listening on %s; each connection goes to "
		    "%s://%s%s\n", t->where, u.secure ? "wss" : "ws", host,
		    u.path);
	free(host);
	wsc_url_free(&u);
	return 0;
}

int
wsc_tunnel_run(const struct wsc_options *o)
{
	struct tunnel	t;
	int		st;

	memset(&t, 0, sizeof t);
	t.o = o;
	/* Before the Listening line: a script may signal wsc as soon as it
	 * reads it, and must get the orderly exit, not the default death. */
	if (wsc_signals_install() != 0 ||
	    wsc_signals_watch_children() != 0) {
		fprintf(stderr, "wsc: cannot set up: %s\n", strerror(errno));
		return WSC_EXIT_ABNORMAL;
	}
	if ((t.lfd = listen_on(&t, &st)) == -1)
		return st;
	if ((st = announce(&t)) != 0) {
		close(t.lfd);
		return st;
	}
	t.kids = wsc_xmalloc(o->max_clients * sizeof *t.kids);
	st = loop(&t);
	if (t.lfd != -1)
		close(t.lfd);
	free(t.kids);
	return st;
}
