# WSC_STRICT_POSIX: --enable-strict-posix compiles the sources as
# POSIX.1-2008 (_POSIX_C_SOURCE=200809L) without the system's extensions,
# a check that the code asks for an extension only where configure found it
# and only in the file that uses it (src/compat.c, src/net.c). Otherwise
# AC_USE_SYSTEM_EXTENSIONS turns on every system's extensions, as usual.
#
# AC_USE_SYSTEM_EXTENSIONS is expanded once, ahead of any shell condition
# around it, so the strict build takes its definitions back out of
# confdefs.h: the checks that follow, and config.h, then see POSIX only.
AC_DEFUN([WSC_STRICT_POSIX], [
  AC_REQUIRE([AC_USE_SYSTEM_EXTENSIONS])
  AC_ARG_ENABLE([strict-posix],
    [AS_HELP_STRING([--enable-strict-posix],
      [compile as POSIX.1-2008 without the system's extensions (a portability check)])],
    [], [enable_strict_posix=no])
  AS_IF([test "x$enable_strict_posix" = xyes], [
    sed -e '/^#define _@<:@A-Z0-9_@:>@*_SOURCE /d' \
        -e '/^#define __EXTENSIONS__ /d' \
        -e '/^#define __STDC_WANT_@<:@A-Z0-9_@:>@* /d' \
        -e '/^#define _POSIX_PTHREAD_SEMANTICS /d' \
        -e '/^#define _HPUX_ALT_XOPEN_SOCKET_API /d' \
        -e '/^#define _MINIX /d' confdefs.h >confdefs.h.tmp &&
      mv confdefs.h.tmp confdefs.h
    AC_DEFINE([_POSIX_C_SOURCE], [200809L],
      [Define to compile as POSIX.1-2008 only (--enable-strict-posix)])])
])
