/* For the unit tests that need a terminal: a new pseudo-terminal becomes
 * stdin (its settings as the kernel gives them: canonical, ISIG, ECHO).
 * The including file defines _XOPEN_SOURCE 700 before any header:
 * posix_openpt() and its kin are POSIX's XSI option. */
#ifndef WSC_TEST_PTY_H
#define WSC_TEST_PTY_H

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* Makes stdin the terminal side of a new pseudo-terminal (not this
 * process's controlling terminal: ^C flushes but signals nobody). Returns
 * the master, where the test types and reads the echo. */
static inline int
test_pty_on_stdin(void)
{
	int	master, slave;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(slave, 0);
	ck_assert_int_eq(dup2(slave, STDIN_FILENO), STDIN_FILENO);
	close(slave);
	return master;
}

#endif
